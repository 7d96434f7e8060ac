#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/eventlog/event.h"
#include "engine/serving/recommender.h"
#include "engine/serving/routing.h"
#include "server/metrics.h"

namespace botify::server {

// Everything one worker thread reuses across requests, so the request path neither
// allocates once warm nor shares mutable state. Thread-compatible: one per thread.
struct WorkerContext {
  WorkerContext(int index, std::uint64_t seed, MetricsShard* metrics)
      : index(index), recommend(seed), metrics(metrics) {}

  int index;  // producer index for the event log
  serving::RecommendContext recommend;
  MetricsShard* metrics;
  std::vector<eventlog::LoggedArm> arms;  // logged experiment arms of the current request
  std::string log_line;                   // the current request's event line
  // Cached routing; refreshed when the service's routing version changes.
  std::shared_ptr<const serving::Routing> routing;
  std::uint64_t routing_version = ~0ull;
};

}  // namespace botify::server
