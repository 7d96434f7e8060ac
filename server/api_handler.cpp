#include "server/api_handler.h"

#include <fmt/format.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <chrono>
#include <cmath>

#include "base/append_number.h"
#include "base/env.h"
#include "base/json_fields.h"
#include "engine/serving/playback.h"

namespace botify::server {

namespace json = boost::json;

namespace {

// Splits "/next/42?x=1" into prefix "next" and rest "42".
void SplitTarget(std::string_view target, std::string_view* head, std::string_view* tail) {
  if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  if (!target.empty() && target.front() == '/') target.remove_prefix(1);
  const auto slash = target.find('/');
  *head = target.substr(0, slash);
  *tail = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
}

constexpr std::string_view kLogBackloggedMessage =
    "the event log is not keeping up (disk full or failing, or its folder held by another "
    "process); retry later";

void MethodNotAllowed(std::string_view allowed, Response* response) {
  response->Error(http::status::method_not_allowed,
                  fmt::format("method not allowed; use {}", allowed));
  response->extra_headers = fmt::format("Allow: {}\r\n", allowed);
}

}  // namespace

bool ParseId(std::string_view text, std::uint32_t* id) {
  if (text.empty() || text.size() > 10) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  std::uint64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  if (v > kMaxId) return false;
  *id = static_cast<std::uint32_t>(v);
  return true;
}

Status ParsePlayback(std::string_view body, Playback* out) {
  unsigned char buffer[2048];
  json::monotonic_resource memory(buffer, sizeof(buffer));
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, &memory);
  if (ec) return Status::InvalidArgument("body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("body must be a JSON object");
  const json::object& obj = v.get_object();
  auto track = GetUnsigned(obj, "track", kMaxId);
  if (!track.ok()) return track.status();
  auto time = GetNumber(obj, "time");
  if (!time.ok()) return time.status();
  if (!std::isfinite(*time) || *time < 0 || *time > 1) {
    return Status::InvalidArgument(
        fmt::format("field 'time' must be a number in [0, 1], got {}", *time));
  }
  out->track = static_cast<TrackId>(*track);
  out->time = *time;
  return Status::Ok();
}

void ApiHandler::Handle(const Request& request, WorkerContext& ctx, Response* response) const {
  Env& clock = service_.env();
  const auto start = clock.SteadyNow();
  Outcome outcome;
  if (service_.draining()) {
    response->Error(http::status::service_unavailable, "the server is shutting down");
    response->close = true;
  } else {
    outcome = Dispatch(request, ctx, response);
  }
  const double seconds = std::chrono::duration<double>(clock.SteadyNow() - start).count();
  ctx.metrics->Record(outcome.route, outcome.arm, static_cast<int>(response->status), seconds);
}

Route ApiHandler::RouteOf(std::string_view target) {
  std::string_view head, tail;
  SplitTarget(target, &head, &tail);
  if (head == "next") return Route::kNext;
  if (head == "last") return Route::kLast;
  if (head == "track") return Route::kTrack;
  if (head.empty()) return Route::kRoot;
  if (head == "healthz") return Route::kHealth;
  if (head == "readyz") return Route::kReady;
  if (head == "metrics") return Route::kMetrics;
  return Route::kOther;
}

void ApiHandler::RecordRejected(const Request& partial, WorkerContext& ctx,
                                const Response& response) const {
  ctx.metrics->Record(RouteOf(partial.target()), kNoArm, static_cast<int>(response.status), 0.0);
}

ApiHandler::Outcome ApiHandler::Dispatch(const Request& request, WorkerContext& ctx,
                                         Response* response) const {
  std::string_view head, tail;
  SplitTarget(request.target(), &head, &tail);
  const auto method = request.method();
  Outcome outcome;
  if (head == "next" || head == "last") {
    outcome.route = head == "next" ? Route::kNext : Route::kLast;
    if (method != http::verb::post) {
      MethodNotAllowed("POST", response);
    } else {
      Playback(head == "next" ? eventlog::EventKind::kNext : eventlog::EventKind::kLast, tail,
               request, ctx, response, &outcome);
    }
    return outcome;
  }
  const bool get = method == http::verb::get || method == http::verb::head;
  if (head == "track" && !tail.empty()) {
    outcome.route = Route::kTrack;
    get ? Track(tail, response) : MethodNotAllowed("GET", response);
  } else if (head.empty() && tail.empty()) {
    outcome.route = Route::kRoot;
    get ? Root(response) : MethodNotAllowed("GET", response);
  } else if ((head == "healthz" || head == "readyz") && tail.empty()) {
    outcome.route = head == "healthz" ? Route::kHealth : Route::kReady;
    const eventlog::EventSink* log = service_.event_sink();
    if (!get) {
      MethodNotAllowed("GET", response);
    } else if (head == "readyz" && log != nullptr && !log->accepting()) {
      // Alive (healthz stays 200) but shedding /next and /last: take it out of rotation.
      response->Error(http::status::service_unavailable, kLogBackloggedMessage);
    } else {
      response->body = R"({"status": "ok"})";
    }
  } else if (head == "metrics" && tail.empty()) {
    outcome.route = Route::kMetrics;
    if (!get) {
      MethodNotAllowed("GET", response);
    } else {
      response->body = service_.metrics().Render(service_.Gauges());
      response->content_type = "text/plain; version=0.0.4; charset=utf-8";
    }
  } else {
    response->Error(
        http::status::not_found,
        fmt::format("no such path: {}", std::string_view(request.target()).substr(0, 100)));
  }
  return outcome;
}

void ApiHandler::Playback(eventlog::EventKind kind, std::string_view user_text,
                          const Request& request, WorkerContext& ctx, Response* response,
                          Outcome* outcome) const {
  Env& clock = service_.env();
  const auto start = clock.SteadyNow();
  std::uint32_t user = 0;
  if (!ParseId(user_text, &user)) {
    response->Error(http::status::bad_request,
                    fmt::format("user id must be an integer in [0, {}], got '{}'", kMaxId,
                                user_text.substr(0, 40)));
    return;
  }
  struct Playback playback;
  if (Status s = ParsePlayback(request.body(), &playback); !s.ok()) {
    response->Error(http::status::bad_request, s.message());
    return;
  }
  const catalog::Catalog& catalog = service_.catalog();
  if (!catalog.Contains(playback.track)) {
    response->Error(http::status::not_found,
                    fmt::format("unknown track {} (the catalog has {} tracks)", playback.track,
                                catalog.size()));
    return;
  }
  if (const eventlog::EventSink* log = service_.event_sink(); log != nullptr && !log->accepting()) {
    // An answer that cannot be logged would break "every acknowledged request is in the
    // log" (docs/contracts.md §7): shed it until the writer catches up.
    response->Error(http::status::service_unavailable, kLogBackloggedMessage);
    return;
  }
  const serving::Routing& routing = service_.RoutingFor(ctx);  // sizes ctx.arms
  serving::PlaybackScratch scratch{ctx.recommend, ctx.arms, ctx.log_line, ctx.index};
  const serving::PlaybackDecision decision =
      serving::DecidePlayback({routing, service_.sessions(), catalog, clock, service_.event_sink()},
                              {kind, user, playback.track, playback.time, start}, scratch);
  if (decision.routed_arm >= 0) outcome->arm = decision.routed_arm;
  std::string& body = response->body;
  body.append(R"({"user": )");
  AppendInt(&body, user);
  if (decision.recommendation) {
    body.append(R"(, "track": )");
    AppendInt(&body, *decision.recommendation);
  }
  body.push_back('}');
}

void ApiHandler::Track(std::string_view track_text, Response* response) const {
  std::uint32_t track = 0;
  if (!ParseId(track_text, &track)) {
    response->Error(
        http::status::bad_request,
        fmt::format("track id must be a non-negative integer, got '{}'", track_text.substr(0, 40)));
    return;
  }
  const catalog::Catalog& catalog = service_.catalog();
  if (!catalog.Contains(track)) {
    response->Error(http::status::not_found, fmt::format("unknown track {}", track));
    return;
  }
  fmt::format_to(std::back_inserter(response->body), R"({{"track": {}, "artist": )", track);
  AppendJsonString(&response->body, catalog.artist_name(track));
  response->body.append(R"(, "title": )");
  AppendJsonString(&response->body, catalog.title(track));
  response->body.push_back('}');
}

void ApiHandler::Root(Response* response) const {
  response->body.assign(R"({"status": "alive", "message": )");
  AppendJsonString(&response->body,
                   fmt::format("botify serves next tracks from a catalog of {} tracks",
                               service_.catalog().size()));
  response->body.push_back('}');
}

}  // namespace botify::server
