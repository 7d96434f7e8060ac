#include "tools/sim/http_driver.h"

#include <fmt/core.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "base/json_fields.h"

namespace botify::tools {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

enum class FailureKind { kNone, kConnect, kTimeout, kHttp, kBadResponse, kBadTrack };

struct Outcome {
  FailureKind kind = FailureKind::kNone;
  std::string message;
  TrackId track = 0;
};

// One keep-alive connection; reconnects lazily after a failure.
struct Connection {
  explicit Connection(asio::any_io_executor ex) : stream(std::move(ex)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

// The state of one HttpDriver::Run call. Lives on the caller's stack; every coroutine
// runs on the caller's thread inside io_.run().
class DriverRun {
 public:
  DriverRun(sim::Simulator& sim, const HttpDriverOptions& options, HttpDriverStats& stats,
            std::uint64_t first, std::uint64_t count,
            const std::function<void(std::uint64_t)>& progress)
      : sim_(sim),
        options_(options),
        stats_(stats),
        first_(first),
        count_(count),
        progress_(progress),
        results_(count) {}

  Result<std::vector<sim::EpisodeResult>> Execute();

 private:
  asio::awaitable<void> Worker();
  asio::awaitable<bool> RunEpisode(Connection& c, sim::Episode& episode);
  asio::awaitable<std::optional<TrackId>> Exchange(Connection& c, bool next, UserId user,
                                                   TrackId track, double time);
  asio::awaitable<Outcome> Attempt(Connection& c, const std::string& target,
                                   const std::string& body, UserId user, bool next);
  Outcome Check(const http::response<http::string_body>& res, const std::string& target,
                UserId user, bool next) const;
  Outcome NetworkFailure(const beast::error_code& ec, const char* what) const;
  void Count(const Outcome& o);
  void Stop(Status status);

  sim::Simulator& sim_;
  const HttpDriverOptions& options_;
  HttpDriverStats& stats_;
  const std::uint64_t first_;
  const std::uint64_t count_;
  const std::function<void(std::uint64_t)>& progress_;

  asio::io_context io_{1};
  tcp::endpoint endpoint_;
  std::uint64_t next_ = 0;      // next episode offset to start
  std::uint64_t finished_ = 0;  // episodes finished or dropped
  std::uint64_t dropped_ = 0;   // this run's dropped episodes
  std::vector<std::optional<sim::EpisodeResult>> results_;
  Status fatal_;
};

Outcome DriverRun::NetworkFailure(const beast::error_code& ec, const char* what) const {
  const FailureKind kind =
      ec == beast::error::timeout ? FailureKind::kTimeout : FailureKind::kConnect;
  return {kind, fmt::format("{}:{}: {}: {}", options_.host, options_.port, what, ec.message())};
}

Outcome DriverRun::Check(const http::response<http::string_body>& res, const std::string& target,
                         UserId user, bool next) const {
  auto preview = [&res] { return res.body().substr(0, 120); };
  if (res.result() != http::status::ok) {
    return {FailureKind::kHttp,
            fmt::format("POST {} answered {}: {}", target, res.result_int(), preview())};
  }
  auto obj = ParseObject(res.body());
  if (!obj.ok()) {
    return {FailureKind::kBadResponse,
            fmt::format("POST {}: {} in {}", target, obj.status().message(), preview())};
  }
  auto answered_user = GetUnsigned(*obj, "user", kMaxId);
  if (!answered_user.ok() || *answered_user != user) {
    return {FailureKind::kBadResponse,
            fmt::format("POST {}: expected \"user\": {} in {}", target, user, preview())};
  }
  if (!next) return {};
  auto track = GetUnsigned(*obj, "track", kMaxId);
  if (!track.ok()) {
    return {FailureKind::kBadResponse,
            fmt::format("POST {}: {} in {}", target, track.status().message(), preview())};
  }
  if (*track >= sim_.track_count()) {
    return {FailureKind::kBadTrack, fmt::format("POST {}: track {} is outside the catalog (0..{})",
                                                target, *track, sim_.track_count() - 1)};
  }
  return {FailureKind::kNone, "", static_cast<TrackId>(*track)};
}

asio::awaitable<Outcome> DriverRun::Attempt(Connection& c, const std::string& target,
                                            const std::string& body, UserId user, bool next) {
  beast::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  const auto timeout = std::chrono::milliseconds(options_.timeout_ms);
  if (!c.stream.socket().is_open()) {
    c.buffer.clear();
    c.stream.expires_after(timeout);
    co_await c.stream.async_connect(endpoint_, token);
    if (ec) co_return NetworkFailure(ec, "connect");
  }
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, options_.host);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  c.stream.expires_after(timeout);
  co_await http::async_write(c.stream, req, token);
  if (ec) co_return NetworkFailure(ec, "write");
  http::response<http::string_body> res;
  co_await http::async_read(c.stream, c.buffer, res, token);
  if (ec) co_return NetworkFailure(ec, "read");
  c.stream.expires_never();
  if (!res.keep_alive()) c.stream.socket().close(ec);
  co_return Check(res, target, user, next);
}

void DriverRun::Count(const Outcome& o) {
  switch (o.kind) {
    case FailureKind::kConnect:
      ++stats_.connect_errors;
      break;
    case FailureKind::kTimeout:
      ++stats_.timeouts;
      break;
    case FailureKind::kHttp:
      ++stats_.http_errors;
      break;
    case FailureKind::kBadResponse:
      ++stats_.bad_responses;
      break;
    case FailureKind::kBadTrack:
      ++stats_.bad_tracks;
      break;
    case FailureKind::kNone:
      ++stats_.requests;
      return;
  }
  stats_.last_error = o.message;
}

void DriverRun::Stop(Status status) {
  if (fatal_.ok()) fatal_ = std::move(status);
  io_.stop();
}

asio::awaitable<std::optional<TrackId>> DriverRun::Exchange(Connection& c, bool next, UserId user,
                                                            TrackId track, double time) {
  const std::string target = fmt::format("/{}/{}", next ? "next" : "last", user);
  // Times are multiples of 0.01, so two decimals are exact.
  const std::string body = fmt::format("{{\"track\": {}, \"time\": {:.2f}}}", track, time);
  Outcome outcome;
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    if (attempt > 0) {
      ++stats_.retries;
      asio::steady_timer timer(io_,
                               std::chrono::milliseconds(options_.backoff_ms << (attempt - 1)));
      co_await timer.async_wait(asio::use_awaitable);
    }
    outcome = co_await Attempt(c, target, body, user, next);
    Count(outcome);
    if (outcome.kind == FailureKind::kNone) co_return outcome.track;
    beast::error_code ignored;
    c.stream.socket().close(ignored);  // a fresh connection for the next attempt
  }
  if (outcome.kind == FailureKind::kConnect || outcome.kind == FailureKind::kTimeout) {
    Stop(Status::Unavailable(fmt::format("the server does not answer after {} attempts: {}",
                                         options_.retries + 1, outcome.message)));
  }
  co_return std::nullopt;
}

asio::awaitable<bool> DriverRun::RunEpisode(Connection& c, sim::Episode& episode) {
  const UserId user = episode.user().user;
  while (!episode.done()) {
    auto r = co_await Exchange(c, true, user, episode.last_track(), episode.last_time());
    if (!r) co_return false;
    episode.Listen(*r);
  }
  auto last = co_await Exchange(c, false, user, episode.last_track(), episode.last_time());
  co_return last.has_value();
}

asio::awaitable<void> DriverRun::Worker() {
  Connection c(co_await asio::this_coro::executor);
  while (next_ < count_) {
    const std::uint64_t offset = next_++;
    sim::Episode episode(sim_, first_ + offset);
    if (co_await RunEpisode(c, episode)) {
      results_[offset] = episode.result();
    } else if (++stats_.failed_episodes, ++dropped_ > options_.max_failed_episodes) {
      Stop(Status::FailedPrecondition(
          fmt::format("{} episodes failed (more than --max-failed-episodes {}); last error: {}",
                      dropped_, options_.max_failed_episodes, stats_.last_error)));
    }
    ++finished_;
    if (progress_) progress_(finished_);
  }
  beast::error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

Result<std::vector<sim::EpisodeResult>> DriverRun::Execute() {
  beast::error_code ec;
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port), ec);
  if (ec || endpoints.empty()) {
    return Status::Unavailable(fmt::format("cannot resolve {}: {}", options_.host, ec.message()));
  }
  endpoint_ = *endpoints.begin();
  const auto workers = std::min<std::uint64_t>(options_.connections, count_);
  for (std::uint64_t i = 0; i < workers; ++i) {
    asio::co_spawn(io_, Worker(), [this](std::exception_ptr e) {
      if (e) Stop(Status::Internal("simulator connection failed unexpectedly"));
    });
  }
  io_.run();
  if (!fatal_.ok()) return fatal_;
  std::vector<sim::EpisodeResult> out;
  out.reserve(count_);
  for (auto& r : results_) {
    if (r) out.push_back(*r);
  }
  return out;
}

}  // namespace

Status HttpDriverOptions::Validate() const {
  if (connections < 1) return Status::InvalidArgument("--connections must be at least 1");
  if (retries < 0) return Status::InvalidArgument("--retries must be >= 0");
  if (timeout_ms < 1) return Status::InvalidArgument("--timeout-ms must be at least 1");
  if (backoff_ms < 0 || backoff_ms > 60000) {
    return Status::InvalidArgument("backoff must be in [0, 60000] ms");
  }
  return Status::Ok();
}

std::string HttpDriverStats::Summary() const {
  return fmt::format(
      "requests {}, errors {} (connect {}, timeout {}, http {}, bad response {}, bad track {}), "
      "retries {}, failed episodes {}",
      requests, errors(), connect_errors, timeouts, http_errors, bad_responses, bad_tracks, retries,
      failed_episodes);
}

Result<std::vector<sim::EpisodeResult>> HttpDriver::Run(
    std::uint64_t first, std::uint64_t count, const std::function<void(std::uint64_t)>& progress) {
  BOTIFY_RETURN_IF_ERROR(options_.Validate());
  DriverRun run(sim_, options_, stats_, first, count, progress);
  return run.Execute();
}

}  // namespace botify::tools
