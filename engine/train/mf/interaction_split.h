// docs/contracts.md §10 model-based data preparation, exactly:
//   positives = rows with time > 0.8, de-duplicated by (user, track);
//   a seeded random 70/30 split into train/test;
//   keep users and tracks with >= 5 train positives, both counts taken on the same
//   unfiltered train positives, applied to train and test alike.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "engine/eventlog/event.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

struct InteractionSplitOptions {
  // A row is a positive when its `time` is strictly greater than this. Default 0.8.
  double positive_threshold = 0.8;
  // Share of de-duplicated positives drawn into test: ceil(n * test_fraction) of them.
  // Default 0.3 (the 70/30 split).
  double test_fraction = 0.3;
  // Users and tracks need at least this many unfiltered train positives. Default 5.
  std::uint32_t min_user_positives = 5;
  std::uint32_t min_item_positives = 5;
  // Seeds the split's permutation; the same seed and positives give the same split.
  std::uint64_t seed = 0;

  Status Validate() const;
};

struct UserTrack {
  UserId user = 0;
  TrackId track = 0;
  // The row's timestamp (ms since the epoch). De-duplication keeps the earliest: the
  // time the user first showed the liking (a time-aware bias bins it, time_bias.h).
  std::int64_t timestamp_ms = 0;
  friend auto operator<=>(const UserTrack&, const UserTrack&) = default;
};

// True if `event` counts as a positive under `options`.
inline bool IsPositive(const eventlog::Event& event, const InteractionSplitOptions& options) {
  return event.time > options.positive_threshold;
}

// The positives of a log read, as a consumer (engine/eventlog/event_consumer.h).
// `options` must outlive it.
struct PositiveCollector {
  const InteractionSplitOptions& options;
  std::vector<UserTrack> positives;
  void Add(const eventlog::Event& e) {
    if (IsPositive(e, options)) positives.push_back({e.user, e.track, e.timestamp_ms});
  }
};

// How many rows each stage kept; for the trainer's report.
struct SplitCounts {
  std::size_t positives = 0;  // unique (user, track) positives
  std::size_t train_unfiltered = 0;
  std::size_t test_unfiltered = 0;
  std::size_t train = 0;
  std::size_t test = 0;
};

// The filtered split over dense indices. Users and items are numbered 0.. in ascending
// order of their ids. Thread-safe for reads.
struct InteractionSplit {
  std::vector<UserId> user_ids;    // dense user index -> user id
  std::vector<TrackId> track_ids;  // dense item index -> track id
  UserItemMatrix train;
  UserItemMatrix test;
  // The timestamp of every train positive, in train's CSR order (train.items()).
  std::vector<std::int64_t> train_timestamps_ms;
  SplitCounts counts;

  std::uint32_t n_users() const { return static_cast<std::uint32_t>(user_ids.size()); }
  std::uint32_t n_items() const { return static_cast<std::uint32_t>(track_ids.size()); }
};

// The seeded 70/30 split of raw positives (duplicates allowed, any order; the result does
// not depend on the order): de-duplicates, shuffles, and puts ceil(n * test_fraction)
// into *test and the rest into *train.
void SplitPositives(std::vector<UserTrack> positives, const InteractionSplitOptions& options,
                    std::vector<UserTrack>* train, std::vector<UserTrack>* test);

// Keeps the users and tracks with enough positives in `train` (counted before any
// filtering), drops every row of train and test that has a dropped user or track, and
// numbers what is left. Fails if no train positive is left.
Result<InteractionSplit> FilterByTrainCounts(const std::vector<UserTrack>& train,
                                             const std::vector<UserTrack>& test,
                                             const InteractionSplitOptions& options);

// SplitPositives then FilterByTrainCounts.
Result<InteractionSplit> BuildInteractionSplit(std::vector<UserTrack> positives,
                                               const InteractionSplitOptions& options);

// Convenience for in-memory logs: selects the positives of `events` and splits them.
Result<InteractionSplit> BuildInteractionSplit(std::span<const eventlog::Event> events,
                                               const InteractionSplitOptions& options);

// Writes dir/train.tsv and dir/test.tsv ("user\ttrack" header, then one id pair per
// line), e.g. for an independent reference implementation to train on the same split.
Status WriteSplitTsv(const InteractionSplit& split, const std::string& dir);

}  // namespace botify::train::mf
