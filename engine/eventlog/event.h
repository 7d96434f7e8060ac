// One event-log row (docs/contracts.md §7, exactly): the JSON line the server writes for every
// /next and /last, and the parsed form that the trainers and the A/B analyzer read back.
//
//   {"message": "next", "timestamp": 1708329390469, "user": 5650, "track": 16053,
//    "time": 0.8, "latency": 0.0214, "recommendation": 1817,
//    "experiments": {"USER_BASED": "T1"}}
//
// Field names, types and order are the contract; whitespace is not.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::eventlog {

enum class EventKind { kNext, kLast };

// "next" / "last".
std::string_view EventMessage(EventKind kind);

// Experiment arms as the `experiments` object names them: "C" for arm 0 (control),
// "T1".."T8" for arms 1..8.
inline constexpr int kMaxArms = 9;
// The arm's name; "?" outside [0, kMaxArms).
std::string_view ArmName(int arm);
// Inverse of ArmName; -1 if `name` is not an arm name.
int ArmIndex(std::string_view name);

// An experiment arm as written in the `experiments` object.
struct LoggedArm {
  std::string_view experiment;
  std::string_view arm;
};

// Appends one event line (with the trailing '\n') to *out. No allocation beyond
// growing *out. `recommendation` is written as null when absent (on "last").
void AppendEventJson(std::string* out, EventKind kind, std::int64_t timestamp_ms, UserId user,
                     TrackId track, double time, double latency_seconds,
                     std::optional<TrackId> recommendation, std::span<const LoggedArm> arms);

// A parsed row. Thread-compatible value type.
struct Event {
  EventKind kind = EventKind::kNext;
  std::int64_t timestamp_ms = 0;
  UserId user = 0;
  TrackId track = 0;
  double time = 0;
  double latency = 0;  // seconds
  std::optional<TrackId> recommendation;
  // (experiment, arm) in the order of the line.
  std::vector<std::pair<std::string, std::string>> experiments;

  // The arm of `experiment`, or nullptr if the row does not carry it.
  const std::string* ArmOf(std::string_view experiment) const;
};

// The `timestamp` field's number as milliseconds, truncated toward zero; false if that
// does not fit in int64 (1e300, or 1e400, which JSON readers take as infinity): such a
// line is rejected, as converting it would be undefined behaviour (found by fuzzing).
bool TimestampFromNumber(double number, std::int64_t* ms);

// Parses one line; the error says which field is wrong (the caller adds file:line).
// Rules: `message` "next"/"last"; `timestamp` a number whose integer part fits in int64;
// `user`, `track` integers in [0, 2^32); `time` any number; `latency` optional number;
// `recommendation` optional, null or an id; `experiments` optional, null or an object of
// string arms; unknown fields are ignored. Thread-safe (uses a thread-local fast parser,
// see engine/event_fast_parser.h, and falls back to ParseEventWithDom).
Result<Event> ParseEvent(std::string_view line);

// The same as ParseEvent, through a Boost.JSON DOM: the reference implementation that
// defines the semantics and produces every error message. Slower; thread-safe.
Result<Event> ParseEventWithDom(std::string_view line);

}  // namespace botify::eventlog
