// The five user-level metrics of the seminar (docs/contracts.md §11), computed from one (user,
// arm)'s session totals, and the direction in which each one is good.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "engine/ab/sessionizer.h"

namespace botify::ab {

enum class UserMetric {
  kTime,                  // sum of listen time over closed sessions
  kSessions,              // number of closed sessions
  kMeanRequestLatency,    // latency_ms / tracks
  kMeanTracksPerSession,  // tracks / sessions
  kMeanTimePerSession,    // time / sessions
};

inline constexpr std::array<UserMetric, 5> kUserMetrics = {
    UserMetric::kTime, UserMetric::kSessions, UserMetric::kMeanRequestLatency,
    UserMetric::kMeanTracksPerSession, UserMetric::kMeanTimePerSession};

// "time", "sessions", "mean_request_latency", "mean_tracks_per_session",
// "mean_time_per_session".
std::string_view UserMetricName(UserMetric metric);

// Inverse of UserMetricName; InvalidArgument naming the five metrics otherwise.
Result<UserMetric> ParseUserMetric(std::string_view name);

// Which way a change is good: listening (time, sessions, tracks and time per session) is
// better higher, latency is better lower.
enum class Direction { kHigherIsBetter, kLowerIsBetter };
Direction MetricDirection(UserMetric metric);

// True when a change of sign `effect` (treatment minus control) is good for `metric`.
bool IsImprovement(UserMetric metric, double effect);

// The metric's value for one (user, arm); nullopt for a ratio whose denominator is 0
// (a (user, arm) that closed no session), which leaves the user out of that metric.
std::optional<double> UserMetricValue(UserMetric metric, const UserArmTotals& totals);

}  // namespace botify::ab
