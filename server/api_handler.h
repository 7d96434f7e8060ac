// The public API of docs/contracts.md §3 as a pure function from a request (and the service state)
// to a response: testable without a socket.
//
//   GET  /                  {"status": "alive", "message": "..."}
//   GET  /track/{track}     {"track": 42, "artist": "...", "title": "..."}
//   POST /next/{user}       {"track": <int>, "time": <number>} -> {"user": u, "track": r}
//   POST /last/{user}       {"track": <int>, "time": <number>} -> {"user": u}
//   GET  /healthz, /readyz  liveness and readiness
//   GET  /metrics           Prometheus text format
#pragma once

#include <string_view>

#include "server/http_types.h"
#include "server/service.h"
#include "server/worker_context.h"

namespace botify::server {

// Thread-safe: immutable; per-thread state lives in the WorkerContext.
class ApiHandler {
 public:
  // `service` must outlive the handler. Requests are timed, and events stamped, on
  // service.env()'s clocks.
  explicit ApiHandler(Service& service) : service_(service) {}

  // Fills *response (which the caller has Reset()) and records metrics.
  void Handle(const Request& request, WorkerContext& ctx, Response* response) const;
  // Counts a request the session refused before it was complete (413, 431, 400).
  void RecordRejected(const Request& partial, WorkerContext& ctx, const Response& response) const;

 private:
  struct Outcome {
    Route route = Route::kOther;
    int arm = kNoArm;
  };
  static Route RouteOf(std::string_view target);
  Outcome Dispatch(const Request& request, WorkerContext& ctx, Response* response) const;
  void Playback(eventlog::EventKind kind, std::string_view user_text, const Request& request,
                WorkerContext& ctx, Response* response, Outcome* outcome) const;
  void Track(std::string_view track_text, Response* response) const;
  void Root(Response* response) const;

  Service& service_;
};

// Parses a decimal id in [0, 2^32-1]: digits only, no sign, no spaces.
bool ParseId(std::string_view text, std::uint32_t* id);

struct Playback {
  TrackId track = 0;
  double time = 0;
};
// Parses a /next or /last body; errors name the field and the value.
Status ParsePlayback(std::string_view body, Playback* out);

}  // namespace botify::server
