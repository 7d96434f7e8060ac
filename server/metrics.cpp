#include "server/metrics.h"

#include <fmt/format.h>

#include <map>

namespace botify::server {

const char* RouteName(Route route) {
  static constexpr const char* kNames[kRouteCount] = {"root", "health",  "ready", "track", "next",
                                                      "last", "metrics", "admin", "other"};
  return kNames[static_cast<int>(route)];
}

namespace {

int StatusSlot(int http_status) {
  for (std::size_t i = 0; i + 1 < kCountedStatuses.size(); ++i) {
    if (kCountedStatuses[i] == http_status) return static_cast<int>(i);
  }
  return static_cast<int>(kCountedStatuses.size() - 1);
}

std::string ArmLabel(int arm) {
  return arm == kNoArm ? "none" : std::string(eventlog::ArmName(arm));
}

}  // namespace

void MetricsShard::Record(Route route, int arm, int http_status, double latency_seconds) {
  const int cell = static_cast<int>(route) * kArmLabels + arm;
  Bump(requests_[cell][StatusSlot(http_status)]);
  std::size_t b = 0;
  while (b < kLatencyBuckets.size() && latency_seconds > kLatencyBuckets[b]) ++b;
  Bump(buckets_[cell][b]);
  Bump(latency_sum_ns_[cell], static_cast<std::uint64_t>(latency_seconds * 1e9));
}

Metrics::Metrics(int shards) {
  for (int i = 0; i < shards; ++i) shards_.push_back(std::make_unique<MetricsShard>());
}

std::string Metrics::Render(const std::vector<Sample>& extra) const {
  std::string out;
  auto it = std::back_inserter(out);
  out +=
      "# HELP botify_requests_total HTTP requests by route, experiment arm and status.\n"
      "# TYPE botify_requests_total counter\n";
  auto sum = [&](auto member, int cell, std::size_t slot) {
    std::uint64_t total = 0;
    for (const auto& s : shards_)
      total += ((*s).*member)[cell][slot].load(std::memory_order_relaxed);
    return total;
  };
  for (int cell = 0; cell < MetricsShard::kCells; ++cell) {
    const char* route = RouteName(static_cast<Route>(cell / kArmLabels));
    const std::string arm = ArmLabel(cell % kArmLabels);
    for (std::size_t s = 0; s < kCountedStatuses.size(); ++s) {
      const std::uint64_t n = sum(&MetricsShard::requests_, cell, s);
      if (n == 0) continue;
      const std::string code = kCountedStatuses[s] ? std::to_string(kCountedStatuses[s]) : "other";
      fmt::format_to(it, "botify_requests_total{{route=\"{}\",arm=\"{}\",code=\"{}\"}} {}\n", route,
                     arm, code, n);
    }
  }
  out +=
      "# HELP botify_request_duration_seconds Time to serve a request.\n"
      "# TYPE botify_request_duration_seconds histogram\n";
  for (int cell = 0; cell < MetricsShard::kCells; ++cell) {
    std::uint64_t count = 0;
    for (std::size_t b = 0; b <= kLatencyBuckets.size(); ++b)
      count += sum(&MetricsShard::buckets_, cell, b);
    if (count == 0) continue;
    const char* route = RouteName(static_cast<Route>(cell / kArmLabels));
    const std::string arm = ArmLabel(cell % kArmLabels);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kLatencyBuckets.size(); ++b) {
      cumulative += sum(&MetricsShard::buckets_, cell, b);
      const std::string le =
          b < kLatencyBuckets.size() ? fmt::format("{}", kLatencyBuckets[b]) : "+Inf";
      fmt::format_to(
          it, "botify_request_duration_seconds_bucket{{route=\"{}\",arm=\"{}\",le=\"{}\"}} {}\n",
          route, arm, le, cumulative);
    }
    std::uint64_t ns = 0;
    for (const auto& s : shards_) ns += s->latency_sum_ns_[cell].load(std::memory_order_relaxed);
    fmt::format_to(it, "botify_request_duration_seconds_sum{{route=\"{}\",arm=\"{}\"}} {}\n", route,
                   arm, static_cast<double>(ns) / 1e9);
    fmt::format_to(it, "botify_request_duration_seconds_count{{route=\"{}\",arm=\"{}\"}} {}\n",
                   route, arm, count);
  }
  std::map<std::string, bool> described;
  for (const auto& s : extra) {
    if (!described[s.name]) {
      fmt::format_to(it, "# HELP {} {}\n# TYPE {} {}\n", s.name, s.help, s.name, s.type);
      described[s.name] = true;
    }
    if (s.labels.empty()) {
      fmt::format_to(it, "{} {}\n", s.name, s.value);
    } else {
      fmt::format_to(it, "{}{{{}}} {}\n", s.name, s.labels, s.value);
    }
  }
  return out;
}

}  // namespace botify::server
