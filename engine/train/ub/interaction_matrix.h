// The user-based CF interaction matrix R (docs/contracts.md §10, exactly): for every (user, track)
// seen in the logs, the mean over its rows of the *normalized* time, where normalized
// time = time − the user's mean time over all their rows (both messages). Absent pairs
// are 0 and are not stored: R is kept twice, sparse by user (CSR) and by track (CSC).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ids.h"
#include "engine/eventlog/event.h"

namespace botify::train::ub {

// Row and column indices are dense: user index i is users[i] (ascending ids), track
// index j is tracks[j] (ascending ids). Immutable after Build; thread-safe to read.
struct InteractionMatrix {
  std::vector<UserId> users;
  std::vector<TrackId> tracks;

  // CSR by user: the entries of user i are [row_offsets[i], row_offsets[i + 1]),
  // track indices ascending.
  std::vector<std::uint32_t> row_offsets;
  std::vector<std::uint32_t> row_tracks;
  std::vector<double> row_values;
  std::vector<double> row_norms;  // Euclidean norm of each user's row (0 for all-zero rows)

  // CSC by track: the entries of track j are [col_offsets[j], col_offsets[j + 1]),
  // user indices ascending.
  std::vector<std::uint32_t> col_offsets;
  std::vector<std::uint32_t> col_users;
  std::vector<double> col_values;

  std::size_t num_users() const { return users.size(); }
  std::size_t num_tracks() const { return tracks.size(); }
  std::size_t num_entries() const { return row_tracks.size(); }
  std::span<const std::uint32_t> RowTracks(std::size_t u) const {
    return {row_tracks.data() + row_offsets[u], row_offsets[u + 1] - row_offsets[u]};
  }
  std::span<const double> RowValues(std::size_t u) const {
    return {row_values.data() + row_offsets[u], row_offsets[u + 1] - row_offsets[u]};
  }
};

// Collects log rows, then builds R. Memory: 16 bytes per row until Build.
// Thread-compatible.
class InteractionMatrixBuilder {
 public:
  void Add(UserId user, TrackId track, double time) { rows_.push_back({user, track, time}); }
  // The same for a log row (a consumer, engine/eventlog/event_consumer.h).
  void Add(const eventlog::Event& e) { Add(e.user, e.track, e.time); }
  std::size_t num_rows() const { return rows_.size(); }

  // Builds R from the rows added so far and clears them.
  InteractionMatrix Build();

 private:
  struct Row {
    UserId user;
    TrackId track;
    double time;
  };
  static void AppendUser(Row* begin, Row* end, InteractionMatrix* m);

  std::vector<Row> rows_;
};

}  // namespace botify::train::ub
