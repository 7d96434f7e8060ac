// Options of the contextual trainer (engine/train/contextual/contextual_trainer.h).
// Defaults are tuned for the default world (50k tracks, a day of ~40k sessions).
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/status.h"

namespace botify::train::contextual {

// Upper bound of ContextualOptions::dim (a step keeps two vectors on the stack).
inline constexpr std::size_t kMaxDim = 1024;

struct ContextualOptions {
  // --- Model: score(c, t) = dot(context[c], target[t]) + target_bias[t]
  //            (+ context_bias[c] + mean time when predicting a time).
  // Embedding size. More dimensions fit more structure but need more data per track.
  std::size_t dim = 32;
  // One embedding per track for both roles (context[t] == target[t]). Every track seen
  // in any pair then has a trained context vector, also tracks that never started a
  // session; with separate tables such tracks keep their random initial context vector.
  bool tied = true;

  // --- Optimisation: plain SGD on the squared error (time - prediction)^2.
  std::size_t epochs = 10;
  // SGD step size.
  float learning_rate = 0.05f;
  // L2 penalty per update on the track rows (and biases) touched (weight decay lambda).
  float l2 = 0.02f;
  // L2 penalty per update on the artist rows, when artists are shared (see
  // TrainContextual). Measured on the default world: 0.02 beats 0.005 and 0.001 (the
  // artist rows overfit) and 0.05.
  float artist_l2 = 0.02f;
  // Random targets drawn per pair and fitted to time 0 (implicit negatives; 0 = none).
  // On Random-day logs 1 negative lowered the A/B effect (+91% vs +116%): the logged
  // pairs already are random targets. Meant for logs of good recommenders.
  std::size_t negatives = 0;
  // Weight of a negative's squared error relative to an observed pair's.
  float negative_weight = 0.2f;
  // Initial embeddings are uniform in [-init_scale, init_scale).
  float init_scale = 0.1f;

  // --- Execution. Training is stratified (disjoint blocks of tracks per worker), so the
  // result depends on the seed only, never on the thread count or scheduling.
  std::uint64_t seed = 42;
  int threads = 2;

  Status Validate() const;
};

}  // namespace botify::train::contextual
