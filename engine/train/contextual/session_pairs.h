// Turns event-log rows (docs/contracts.md §7) into the contextual trainer's training pairs.
//
// Sessions follow the A/B analyzer's rule (engine/ab/sessionizer.h, docs/contracts.md §11), but per
// user across every arm: a user's rows, sorted stably by timestamp (ties keep input
// order: file order, then line order), form sessions; each row adds its track to the
// open session and a `last` row closes it. Rows after a user's final `last` form no
// session (they are counted, not used).
//
// From every closed session with tracks s0, s1, ..., sn (the rows' `track` fields in
// order) the pairs are (context = s0, target = si, time of row i) for i >= 1, except:
//   - a target equal to the context, and
//   - a target already played earlier in the same session,
// because the listener gives such a track time 0 whatever its taste (docs/contracts.md §8): that 0
// says nothing about how well the target follows the context.
//
// Memory: rows are kept as 24-byte records until Finish() (the sort needs all of a
// user's rows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/ids.h"
#include "engine/eventlog/event.h"

namespace botify::train::contextual {

// One training example: `target` was played `time` (in [0, 1]) in a session that
// started with `context`.
struct ContextPair {
  TrackId context = 0;
  TrackId target = 0;
  float time = 0;

  bool operator==(const ContextPair&) const = default;
};

struct SessionPairStats {
  std::size_t rows = 0;              // rows offered
  std::size_t users = 0;             // distinct users
  std::size_t sessions = 0;          // closed sessions
  std::size_t rows_after_last = 0;   // rows after a user's final `last` (unused)
  std::size_t self_targets = 0;      // targets equal to their context (skipped)
  std::size_t repeated_targets = 0;  // targets played earlier in the session (skipped)
  std::size_t pairs = 0;             // pairs produced
  TrackId max_track = 0;             // largest track id seen in any row
};

// Thread-compatible. Feed rows in input order (file order, then line order).
class SessionPairBuilder {
 public:
  void Add(const eventlog::Event& event);

  // Sorts, sessionizes and returns the pairs, ordered by user, then session, then
  // position in the session. The builder is empty afterwards. `stats` may be null.
  std::vector<ContextPair> Finish(SessionPairStats* stats);

 private:
  struct Row {
    std::int64_t timestamp_ms;
    UserId user;
    TrackId track;
    float time;
    bool is_last;
  };

  void SessionizeUser(const Row* begin, const Row* end, std::vector<ContextPair>* out,
                      SessionPairStats* stats) const;

  std::vector<Row> rows_;
};

}  // namespace botify::train::contextual
