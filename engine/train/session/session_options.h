// Options of the session model's trainer (engine/train/session/session_trainer.h).
// Defaults are tuned for the default world (50k tracks, days of ~40k sessions); how, in
// docs/recommenders.md ("The session model").
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/status.h"
#include "engine/serving/session_model.h"

namespace botify::train::session {

struct SessionTrainOptions {
  // --- Model (engine/serving/session_model.h).
  // Embedding size. More dimensions fit finer taste but need more plays per track.
  std::size_t dim = 32;
  // One vector per track for both roles (a played track pulls the query towards the very
  // vector it is scored with). false: separate context vectors.
  bool tied = true;
  // A track's vectors are its own row plus its artist's row (the catalog's artists,
  // nothing hidden): ~10 tracks of an artist share what each of them teaches, and an
  // artist's tracks never played still score as the artist.
  bool share_artists = true;

  // --- The feedback rule: how a play moves the session's query (SessionModel::Observe).
  // Not learned: serving applies it with a table lookup and one step.
  // Weight of the session's first track (what the listener chose).
  float first_weight = 1.0f;
  // Step of the query towards a play that did better than predicted and away from one
  // that did worse (surprise_weight * (time / gamma^k - predicted) * the play's vector).
  float surprise_weight = 0.5f;
  // Fixed weights by listen time (Rocchio): a later play listened to at least
  // like_threshold pulls the query towards itself with weight like_weight at time 1.0
  // (linear from 0 at the threshold); one below it pushes the query away with weight
  // skip_weight at time 0.0 (linear to 0 at the threshold). Off by default: measured
  // worse than the surprise step (docs/recommenders.md).
  float like_threshold = 0.5f;
  float like_weight = 0.0f;
  float skip_weight = 0.0f;

  // Candidates listed per track (the lists `index build` stores beside the model): the
  // list_depth best of the rank_depth best-scored targets after the track, with
  // distinct_artists one per artist (engine/train/contextual/diverse_lists.h). Each
  // request scores the lists of up to three anchor tracks, so list_depth sets the cost of
  // a request; distinct artists spend it on tracks the listener does not discount.
  // Measured on the default world (docs/recommenders.md): 100 of 400, one per artist,
  // beats the plain best 200.
  std::size_t list_depth = 100;
  std::size_t rank_depth = 400;
  bool distinct_artists = true;

  // --- Optimisation: SGD on the cross-entropy between the listen time and the
  // predicted time sigmoid(score + offset) * gamma^k, plus L2 on the rows touched.
  std::size_t epochs = 10;
  float learning_rate = 0.05f;
  // L2 per update on track rows and biases.
  float l2 = 0.01f;
  // L2 per update on artist rows (with share_artists).
  float artist_l2 = 0.01f;
  // Initial rows are uniform in [-init_scale, init_scale).
  float init_scale = 0.1f;
  // Seeds the initial rows and the order of sessions in each epoch. Training runs on one
  // thread, so the model depends on the seed and the logs only.
  std::uint64_t seed = 42;

  Status Validate() const;

  // The time-weight table this rule gives (SessionModelTables::time_weight).
  std::array<float, serving::kTimeSteps> TimeWeights() const;
};

}  // namespace botify::train::session
