// Helpers for the A/B analyzer tests: building event rows without going through JSON.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/eventlog/event.h"

namespace botify::testing {

// A row of `experiment` in `arm`; `arm` empty means the row carries no experiment.
inline eventlog::Event AbEvent(eventlog::EventKind kind, std::int64_t ts, UserId user, double time,
                               double latency, const std::string& arm,
                               const std::string& experiment = "EXP") {
  eventlog::Event e;
  e.kind = kind;
  e.timestamp_ms = ts;
  e.user = user;
  e.track = 1;
  e.time = time;
  e.latency = latency;
  if (kind == eventlog::EventKind::kNext) e.recommendation = 2;
  if (!arm.empty()) e.experiments.emplace_back(experiment, arm);
  return e;
}

inline eventlog::Event AbNext(std::int64_t ts, UserId user, double time, const std::string& arm,
                              double latency = 0.001) {
  return AbEvent(eventlog::EventKind::kNext, ts, user, time, latency, arm);
}

inline eventlog::Event AbLast(std::int64_t ts, UserId user, double time, const std::string& arm,
                              double latency = 0.001) {
  return AbEvent(eventlog::EventKind::kLast, ts, user, time, latency, arm);
}

}  // namespace botify::testing
