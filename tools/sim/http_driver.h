// Drives a botify server over HTTP (docs/contracts.md §3, §8): each episode is a run of
// `POST /next/{user}` {"track": t, "time": x} -> {"user": u, "track": r}, closed by
// `POST /last/{user}` {"track": t, "time": x} -> {"user": u}.
//
// Many keep-alive connections on one io_context (one C++20 coroutine per connection)
// on the calling thread. Each connection takes the next episode index from a shared
// counter; since an episode's draws depend only on (seed, index) and the answers, results
// do not depend on how connections interleave.
//
// Failures (connect refused/reset, timeout, non-200, malformed JSON, wrong user, track
// outside the catalog) are counted by kind and the request is retried `retries` times
// with exponential backoff on a fresh connection. An episode whose request still fails
// is dropped (counted). The run stops with kUnavailable when the server cannot be reached
// at all after the retries, and with kFailedPrecondition when more than
// `max_failed_episodes` episodes were dropped. Every wait is bounded by `timeout_ms`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/sim/episode.h"

namespace botify::tools {

struct HttpDriverOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5001;
  // Concurrent keep-alive connections (and episodes in flight).
  int connections = 32;
  // Extra attempts of one request after a failure (so 1 + retries attempts in all).
  int retries = 3;
  // First backoff; doubles on each further attempt.
  int backoff_ms = 50;
  // Bound on connecting, writing a request and reading its response.
  int timeout_ms = 5000;
  // Dropped episodes tolerated per day before the run stops.
  std::uint64_t max_failed_episodes = 10;

  Status Validate() const;
};

// What went wrong, counted over the driver's lifetime.
struct HttpDriverStats {
  std::uint64_t requests = 0;        // successful exchanges
  std::uint64_t connect_errors = 0;  // refused, reset, closed, DNS
  std::uint64_t timeouts = 0;
  std::uint64_t http_errors = 0;    // status other than 200
  std::uint64_t bad_responses = 0;  // malformed JSON, missing fields, wrong user
  std::uint64_t bad_tracks = 0;     // recommendation outside the catalog
  std::uint64_t retries = 0;
  std::uint64_t failed_episodes = 0;
  std::string last_error;  // the most recent failure, for the report

  std::uint64_t errors() const {
    return connect_errors + timeouts + http_errors + bad_responses + bad_tracks;
  }
  // One line: "errors: 3 (connect 1, timeout 0, http 2, bad response 0, bad track 0), ...".
  std::string Summary() const;
};

// Thread-compatible. `sim` must outlive the driver.
class HttpDriver {
 public:
  HttpDriver(sim::Simulator& sim, HttpDriverOptions options)
      : sim_(sim), options_(std::move(options)) {}

  // Runs episodes [first, first + count); returns the finished ones in index order
  // (dropped episodes are missing). `progress` gets the number of finished or dropped
  // episodes, from the calling thread.
  Result<std::vector<sim::EpisodeResult>> Run(
      std::uint64_t first, std::uint64_t count,
      const std::function<void(std::uint64_t)>& progress = {});

  const HttpDriverStats& stats() const { return stats_; }

 private:
  sim::Simulator& sim_;
  const HttpDriverOptions options_;
  HttpDriverStats stats_;
};

}  // namespace botify::tools
