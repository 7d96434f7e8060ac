// Prometheus text-format metrics (docs/contracts.md §3): request counts and latency histograms per
// route and arm, plus gauges supplied at scrape time. Each worker thread owns a shard it
// alone writes (relaxed atomic stores, no read-modify-write contention between cores);
// a scrape sums the shards.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/eventlog/event.h"

namespace botify::server {

enum class Route : int { kRoot, kHealth, kReady, kTrack, kNext, kLast, kMetrics, kAdmin, kOther };
inline constexpr int kRouteCount = 9;
const char* RouteName(Route route);

// Label value "none" is arm index kNoArm.
inline constexpr int kNoArm = eventlog::kMaxArms;
inline constexpr int kArmLabels = eventlog::kMaxArms + 1;

// HTTP statuses with their own counter; anything else counts as "other".
inline constexpr std::array<int, 12> kCountedStatuses = {200, 400, 401, 403, 404, 405,
                                                         413, 431, 500, 503, 409, 0};

// Latency bucket upper bounds, seconds.
inline constexpr std::array<double, 14> kLatencyBuckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0};

// Written by exactly one thread. Thread-compatible writer, thread-safe readers.
class MetricsShard {
 public:
  void Record(Route route, int arm, int http_status, double latency_seconds);

 private:
  friend class Metrics;
  static constexpr int kCells = kRouteCount * kArmLabels;
  static void Bump(std::atomic<std::uint64_t>& c, std::uint64_t by = 1) {
    c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }
  std::array<std::array<std::atomic<std::uint64_t>, kCountedStatuses.size()>, kCells> requests_{};
  std::array<std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1>, kCells> buckets_{};
  std::array<std::atomic<std::uint64_t>, kCells> latency_sum_ns_{};
};

// Thread-safe.
class Metrics {
 public:
  // One shard per writer thread; the caller gives each thread its own index.
  explicit Metrics(int shards);

  MetricsShard& shard(int i) { return *shards_[i]; }

  // A gauge or counter supplied at scrape time.
  struct Sample {
    std::string name;  // e.g. botify_index_generation
    std::string help;
    std::string type;    // "gauge" or "counter"
    std::string labels;  // e.g. name="ub" (without braces), may be empty
    double value;
  };
  // Renders all request metrics plus `extra` in Prometheus text format 0.0.4.
  std::string Render(const std::vector<Sample>& extra) const;

  // accept() failures for want of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM); the
  // listener backs off after each.
  void CountAcceptFailure() { accept_failures_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t accept_failures() const { return accept_failures_.load(std::memory_order_relaxed); }

 private:
  std::vector<std::unique_ptr<MetricsShard>> shards_;
  std::atomic<std::uint64_t> accept_failures_{0};
};

}  // namespace botify::server
