// Event-log rows for the trainers' session tests.
#pragma once

#include "engine/eventlog/event.h"

namespace botify::testing {

// A `next` (or, with `last`, a `last`) row of `user` at `ts` playing `track` for `time`.
inline eventlog::Event Row(UserId user, std::int64_t ts, TrackId track, double time,
                           bool last = false) {
  eventlog::Event e;
  e.kind = last ? eventlog::EventKind::kLast : eventlog::EventKind::kNext;
  e.timestamp_ms = ts;
  e.user = user;
  e.track = track;
  e.time = time;
  return e;
}

}  // namespace botify::testing
