// The decision of one /next or /last once its request is parsed (docs/contracts.md §3,
// §7): route the user to an arm, recommend (for /next; through the user's session for
// recommenders that keep one), end the session (for /last), and hand the event line to the
// sink. No HTTP: server/api_handler.cpp parses the request, checks the sink accepts,
// calls this and writes the answer. Every time it reads comes from `clock`, so a test
// with a manual clock (tests/fake_env.h) and an in-memory sink fixes an event's bytes.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "base/env.h"
#include "base/ids.h"
#include "engine/catalog/catalog.h"
#include "engine/eventlog/event.h"
#include "engine/eventlog/event_sink.h"
#include "engine/serving/recommender.h"
#include "engine/serving/routing.h"
#include "engine/serving/session_store.h"

namespace botify::serving {

struct PlaybackRequest {
  eventlog::EventKind kind = eventlog::EventKind::kNext;
  UserId user = 0;
  TrackId track = 0;
  double time = 0;
  // When handling the request began (clock.SteadyNow()): the event's latency runs from it.
  std::chrono::steady_clock::time_point start;
};

// What a decision reads and writes besides the request. Not owned; all must outlive the
// call. `sink` may be null (logging off).
struct PlaybackServices {
  const Routing& routing;
  SessionStore& sessions;
  const catalog::Catalog& catalog;
  Env& clock;
  eventlog::EventSink* sink;
};

// One worker thread's reusable state (server/worker_context.h holds it), so that a warm
// decision does not allocate. Thread-compatible: one per thread.
struct PlaybackScratch {
  RecommendContext& recommend;
  // Room for routing.logged_count() arms; filled with the request's arms.
  std::span<eventlog::LoggedArm> arms;
  std::string& log_line;  // the event line, rebuilt each call
  int producer;           // the sink's producer index of this thread
};

struct PlaybackDecision {
  int routed_arm = -1;                    // arm of the routing experiment; -1 if none
  std::optional<TrackId> recommendation;  // for /next
};

// The session step of one /next for a recommender that keeps sessions: records the play
// (track, time, artist) in `session`, lets the recommender fold it in (Observe), asks for
// the next track with the session attached and records it as recommended. The one place
// this order is written: DecidePlayback calls it under the session's lock, and tests of
// session-aware recommenders call it to replay a session without a store.
TrackId RecommendInSession(const Recommender& recommender, const catalog::Catalog& catalog,
                           RecommendRequest request, SessionState& session, RecommendContext& ctx);

// Decides and logs one request. Thread-safe for distinct scratches.
PlaybackDecision DecidePlayback(const PlaybackServices& services, const PlaybackRequest& request,
                                PlaybackScratch& scratch);

}  // namespace botify::serving
