// The listening sessions of shipped event logs (docs/contracts.md §7), for the trainers
// that learn from whole sessions (contextual pairs, the session model).
//
// Sessions follow the A/B analyzer's rule (engine/ab/sessionizer.h, docs/contracts.md
// §11), but per user across every arm: a user's rows, sorted stably by timestamp (ties
// keep input order: file order, then line order), form sessions; each row adds its
// `track` and `time` to the open session and a `last` row closes it. Rows after a user's
// final `last` form no session (they are counted, not used). So a session's first entry
// is the track the listener chose (its time is the 1.0 of the first /next), and every
// later entry is a recommendation with the share of it listened to.
//
// Memory: rows are kept as 24-byte records until Finish() (the sort needs all of a
// user's rows); the result takes 8 bytes a row and 12 a session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ids.h"
#include "engine/eventlog/event.h"

namespace botify::train::session {

// Every closed session, ordered by user, then time. Thread-compatible value type.
struct ListeningSessions {
  // Session s holds entries [offsets[s], offsets[s + 1]); offsets has size() + 1 values.
  std::vector<std::uint64_t> offsets{0};
  std::vector<UserId> users;    // per session
  std::vector<TrackId> tracks;  // per entry, in play order
  std::vector<float> times;     // per entry, the share listened, in [0, 1]

  std::size_t size() const { return users.size(); }
  std::span<const TrackId> Tracks(std::size_t s) const {
    return {tracks.data() + offsets[s], tracks.data() + offsets[s + 1]};
  }
  std::span<const float> Times(std::size_t s) const {
    return {times.data() + offsets[s], times.data() + offsets[s + 1]};
  }
};

struct ListeningSessionStats {
  std::size_t rows = 0;             // rows offered
  std::size_t users = 0;            // distinct users
  std::size_t sessions = 0;         // closed sessions
  std::size_t rows_after_last = 0;  // rows after a user's final `last` (unused)
  TrackId max_track = 0;            // largest track id seen in any row
};

// Thread-compatible. Feed rows in input order (file order, then line order).
class ListeningSessionBuilder {
 public:
  void Add(const eventlog::Event& event);

  // Sorts and sessionizes every row added; the builder is empty afterwards. `stats` may
  // be null.
  ListeningSessions Finish(ListeningSessionStats* stats);

 private:
  struct Row {
    std::int64_t timestamp_ms;
    UserId user;
    TrackId track;
    float time;
    bool is_last;
  };

  std::vector<Row> rows_;
};

}  // namespace botify::train::session
