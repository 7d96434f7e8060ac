// Turns event-log rows (docs/contracts.md §7) into the contextual trainer's training pairs.
//
// Sessions are engine/train/session/listening_sessions.h's: per user across every arm, a
// `last` row closes a session, rows after a user's final `last` are counted, not used.
//
// From every closed session with tracks s0, s1, ..., sn (the rows' `track` fields in
// order) the pairs are (context = s0, target = si, time of row i) for i >= 1, except:
//   - a target equal to the context, and
//   - a target already played earlier in the same session,
// because the listener gives such a track time 0 whatever its taste (docs/contracts.md §8): that 0
// says nothing about how well the target follows the context.
//
// Memory: as the ListeningSessionBuilder's (24 bytes a row until Finish()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/ids.h"
#include "engine/eventlog/event.h"
#include "engine/train/session/listening_sessions.h"

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
  void Add(const eventlog::Event& event) { sessions_.Add(event); }

  // Sorts, sessionizes and returns the pairs, ordered by user, then session, then
  // position in the session. The builder is empty afterwards. `stats` may be null.
  std::vector<ContextPair> Finish(SessionPairStats* stats);

 private:
  session::ListeningSessionBuilder sessions_;
};

}  // namespace botify::train::contextual
