// A tiny Beast HTTP server that speaks the simulator's half of docs/contracts.md §3 (/next, /last),
// for testing the HTTP driver without botify-server. Answers are a pure function of the
// request, so a run's results can be compared with an in-process run.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

namespace botify::testing {

// The deterministic recommendation the server gives: (track * 31 + user + 1) % tracks.
inline std::uint32_t SimTestAnswer(std::uint32_t user, std::uint32_t track, std::uint32_t tracks) {
  return static_cast<std::uint32_t>((std::uint64_t{track} * 31 + user + 1) % tracks);
}

struct SimTestServerOptions {
  std::uint32_t tracks = 0;  // catalog size for the answers
  int fail_first = 0;        // answer 503 to the first N requests
  bool bad_track = false;    // answer a track id == tracks (outside the catalog)
};

// Serves on 127.0.0.1 with an ephemeral port on a background thread. Thread-safe counters.
class SimTestServer {
 public:
  explicit SimTestServer(SimTestServerOptions options);
  ~SimTestServer();
  SimTestServer(const SimTestServer&) = delete;
  SimTestServer& operator=(const SimTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::uint64_t next_requests() const { return next_requests_; }
  std::uint64_t last_requests() const { return last_requests_; }

  struct Impl;  // defined in the .cpp

 private:
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> next_requests_{0};
  std::atomic<std::uint64_t> last_requests_{0};
};

}  // namespace botify::testing
