// Offline evaluation of per-user lists on a time-ordered hold-out: for a seeded sample of
// users, the latest share of each one's rows (by timestamp; equal timestamps keep log
// order) is held out; a model trained on the rest is scored by precision@k and recall@k
// against the held-out tracks the user listened to (time > relevant_time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// One log row as the split needs it.
struct TimedRow {
  UserId user = 0;
  TrackId track = 0;
  double time = 0;
  std::int64_t timestamp_ms = 0;
};

// The rows of a log read, as a consumer (engine/eventlog/event_consumer.h).
struct TimedRows {
  std::vector<TimedRow> rows;
  void Add(const eventlog::Event& e) { rows.push_back({e.user, e.track, e.time, e.timestamp_ms}); }
};

struct HoldoutOptions {
  // Share of each evaluated user's rows, the latest, held out. In (0, 1); default 0.2.
  // At least one row is held out and at least one kept; users with one row are not
  // evaluated.
  double test_fraction = 0.2;
  // Share of users evaluated, drawn per user from `seed`. In (0, 1]; default 1 = all.
  double user_fraction = 1.0;
  std::uint64_t seed = 42;
  // A held-out row is relevant if its time > relevant_time. Default 0.8 (a "like", as
  // the model-based trainer's positives).
  double relevant_time = 0.8;
  // Cut-off of precision@k and recall@k. Default 10.
  std::size_t k = 10;

  Status Validate() const;
};

// Thread-compatible value type.
struct HoldoutSplit {
  InteractionMatrixBuilder train;
  // Evaluated users -> distinct relevant held-out tracks, ascending. Users whose held-out
  // rows have no relevant track are kept with an empty list (skipped by Evaluate).
  std::unordered_map<UserId, std::vector<TrackId>> relevant;
  std::size_t test_rows = 0;
  // Train rows per track, for the popularity baseline.
  std::unordered_map<TrackId, std::size_t> train_plays;
};

// Consumes `rows` (any order).
HoldoutSplit SplitHoldout(std::vector<TimedRow> rows, const HoldoutOptions& options);

struct RankingQuality {
  std::size_t users = 0;  // evaluated users with at least one relevant track
  double precision = 0;   // mean over them of hits@k / k
  double recall = 0;      // mean over them of hits@k / relevant
};

// Scores `lists` (any users; those not evaluated are ignored; a missing list has no hits).
RankingQuality Evaluate(const std::vector<UserList>& lists, const HoldoutSplit& split,
                        std::size_t k);

// The popularity baseline: every evaluated user gets the k most played train tracks
// (ties by id).
std::vector<UserList> PopularityLists(const HoldoutSplit& split, std::size_t k);

}  // namespace botify::train::ub
