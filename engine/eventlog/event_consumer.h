// Feeds an event-log read into a consumer: the one glue between EventLogReader and the
// trainers and the A/B analysis, which all take events one at a time.
//
// A consumer is any object with `Add(const eventlog::Event&)` returning
//   - Status: an error stops the read (ReadInto returns it with the row's file:line);
//   - void: it cannot fail; if it also has `status()` (a consumer that keeps its first
//     error, such as ab::Sessionizer spilling to a full disk), a non-OK status() after
//     an Add stops the read the same way.
#pragma once

#include <string>
#include <type_traits>

#include "base/status.h"
#include "engine/eventlog/event.h"
#include "engine/eventlog/event_log_reader.h"

namespace botify::eventlog {

// Hands `event` to `consumer` (see above); the status says whether to go on.
template <class Consumer>
Status FeedEvent(Consumer& consumer, const Event& event) {
  if constexpr (std::is_same_v<decltype(consumer.Add(event)), Status>) {
    return consumer.Add(event);
  } else {
    consumer.Add(event);
    if constexpr (requires { Status(consumer.status()); }) {
      return consumer.status();
    } else {
      return Status::Ok();
    }
  }
}

// Reads every event under `path` (EventLogReader::Read) into `consumer`; returns the
// reader's error or the consumer's. `consumer` must outlive the call only.
template <class Consumer>
Status ReadInto(EventLogReader& reader, const std::string& path, Consumer& consumer) {
  return reader.Read(path, [&consumer](const Event& e) { return FeedEvent(consumer, e); });
}

}  // namespace botify::eventlog
