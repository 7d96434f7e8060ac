#include "engine/ab/user_metric.h"

#include <fmt/format.h>

#include <string>

namespace botify::ab {

std::string_view UserMetricName(UserMetric metric) {
  switch (metric) {
    case UserMetric::kTime:
      return "time";
    case UserMetric::kSessions:
      return "sessions";
    case UserMetric::kMeanRequestLatency:
      return "mean_request_latency";
    case UserMetric::kMeanTracksPerSession:
      return "mean_tracks_per_session";
    case UserMetric::kMeanTimePerSession:
      return "mean_time_per_session";
  }
  return "?";
}

Result<UserMetric> ParseUserMetric(std::string_view name) {
  for (UserMetric metric : kUserMetrics) {
    if (UserMetricName(metric) == name) return metric;
  }
  std::string names;
  for (UserMetric metric : kUserMetrics) {
    names += (names.empty() ? "" : ", ") + std::string(UserMetricName(metric));
  }
  return Status::InvalidArgument(fmt::format("metric '{}' is not one of {}", name, names));
}

Direction MetricDirection(UserMetric metric) {
  return metric == UserMetric::kMeanRequestLatency ? Direction::kLowerIsBetter
                                                   : Direction::kHigherIsBetter;
}

bool IsImprovement(UserMetric metric, double effect) {
  return MetricDirection(metric) == Direction::kHigherIsBetter ? effect > 0 : effect < 0;
}

std::optional<double> UserMetricValue(UserMetric metric, const UserArmTotals& t) {
  const auto sessions = static_cast<double>(t.sessions);
  const auto tracks = static_cast<double>(t.tracks);
  switch (metric) {
    case UserMetric::kTime:
      return t.time;
    case UserMetric::kSessions:
      return sessions;
    case UserMetric::kMeanRequestLatency:
      if (t.tracks == 0) return std::nullopt;
      return t.latency_ms / tracks;
    case UserMetric::kMeanTracksPerSession:
      if (t.sessions == 0) return std::nullopt;
      return tracks / sessions;
    case UserMetric::kMeanTimePerSession:
      if (t.sessions == 0) return std::nullopt;
      return t.time / sessions;
  }
  return std::nullopt;
}

}  // namespace botify::ab
