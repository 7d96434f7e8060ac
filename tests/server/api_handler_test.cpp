// The routing function of the public API, called without a socket.
#include "server/api_handler.h"

#include <catch2/catch.hpp>

#include "base/json_fields.h"
#include "server/admin_handler.h"
#include "storage/index_builder.h"
#include "tests/fake_env.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::server;
using botify::testing::FakeEnv;
using botify::testing::TempDir;

namespace {

struct Fixture {
  // `env` (the service's clock) must outlive the fixture.
  explicit Fixture(Env* env = Env::Default(), const serving::SessionStoreOptions& sessions = {}) {
    botify::testing::WriteCatalog(dir / "tracks.json", 100);
    catalog = std::make_shared<const catalog::Catalog>(
        *catalog::Catalog::LoadJsonLines(dir / "tracks.json"));
    store = std::move(*storage::Store::Open({dir / "db"}));
    service = std::make_unique<Service>(catalog, store.get(), &metrics, nullptr, sessions, env);
    api = std::make_unique<ApiHandler>(*service);
  }
  Response Call(http::verb method, const std::string& target, const std::string& body = "") {
    Request req{method, target, 11};
    req.body() = body;
    Response res;
    api->Handle(req, ctx, &res);
    return res;
  }

  TempDir dir;
  std::shared_ptr<const catalog::Catalog> catalog;
  std::unique_ptr<storage::Store> store;
  Metrics metrics{1};
  std::unique_ptr<Service> service;
  std::unique_ptr<ApiHandler> api;
  WorkerContext ctx{0, 1, &metrics.shard(0)};
};

}  // namespace

TEST_CASE("ids parse as plain decimal uint32 only", "[server][api]") {
  std::uint32_t id = 0;
  CHECK(ParseId("0", &id));
  CHECK(ParseId("4294967295", &id));
  CHECK(id == 4294967295u);
  CHECK_FALSE(ParseId("4294967296", &id));
  CHECK_FALSE(ParseId("-1", &id));
  CHECK_FALSE(ParseId("+1", &id));
  CHECK_FALSE(ParseId("1.0", &id));
  CHECK_FALSE(ParseId("", &id));
  CHECK_FALSE(ParseId("12a", &id));
}

TEST_CASE("playback bodies accept integer tracks and any number time in [0, 1]", "[server][api]") {
  Playback p;
  REQUIRE(ParsePlayback(R"({"track": 3, "time": 1})", &p).ok());
  CHECK(p.track == 3);
  CHECK(p.time == 1.0);
  REQUIRE(ParsePlayback(R"({"time": 0.25, "track": 4, "extra": [1]})", &p).ok());
  CHECK(p.time == 0.25);
  for (const char* bad : {R"({"track": 3})", R"({"time": 0.5})", R"({"track": "3", "time": 0.5})",
                          R"({"track": 3, "time": "0.5"})", R"({"track": 3.5, "time": 0.5})",
                          R"({"track": 3, "time": -0.1})", R"({"track": 3, "time": 1.01})",
                          R"({"track": 3, "time": 1e999})", R"({"track": -1, "time": 0.5})",
                          R"([3, 0.5])", "", "{", "null"}) {
    INFO(bad);
    CHECK_FALSE(ParsePlayback(bad, &p).ok());
  }
}

TEST_CASE("next answers a catalog track and last answers the user", "[server][api]") {
  Fixture f;
  auto res = f.Call(http::verb::post, "/next/42", R"({"track": 5, "time": 0.5})");
  CHECK(res.status == http::status::ok);
  auto parsed = ParseObject(res.body);
  REQUIRE(parsed.ok());
  CHECK(parsed->at("user").as_int64() == 42);
  CHECK(f.catalog->Contains(parsed->at("track").as_int64()));
  res = f.Call(http::verb::post, "/last/42", R"({"track": 5, "time": 0.5})");
  CHECK(res.status == http::status::ok);
  CHECK(res.body == R"({"user": 42})");
}

namespace {

// The value of the first /metrics line that starts with `prefix`; "" if none.
std::string MetricValue(const std::string& metrics, const std::string& prefix) {
  for (std::size_t at = 0; at < metrics.size();) {
    std::size_t end = metrics.find('\n', at);
    if (end == std::string::npos) end = metrics.size();
    const std::string_view line(metrics.data() + at, end - at);
    if (line.starts_with(prefix)) return std::string(line.substr(line.rfind(' ') + 1));
    at = end + 1;
  }
  return "";
}

}  // namespace

TEST_CASE("idle sessions are swept on the service's clock: a manual clock ends them, no sleep",
          "[server][api][clock]") {
  FakeEnv env;
  serving::SessionStoreOptions sessions;
  sessions.idle_timeout_ms = 60 * 1000;
  Fixture f(&env, sessions);
  // A session-aware default: every /next keeps the listener's session.
  REQUIRE(f.service
              ->ReloadConfig(*serving::RoutingConfig::Parse(R"({"default": "session:toppop:top"})"),
                             Service::MissingIndexes::kWarn)
              .ok());
  REQUIRE(f.Call(http::verb::post, "/next/7", R"({"track": 5, "time": 0.5})").status ==
          http::status::ok);
  REQUIRE(f.Call(http::verb::post, "/next/8", R"({"track": 6, "time": 0.5})").status ==
          http::status::ok);
  auto metrics = f.Call(http::verb::get, "/metrics").body;
  CHECK(MetricValue(metrics, "botify_sessions_active ") == "2");

  // User 8 comes back after 40 s: its session is touched, user 7's is not.
  env.Advance(std::chrono::seconds(40));
  REQUIRE(f.Call(http::verb::post, "/next/8", R"({"track": 7, "time": 0.5})").status ==
          http::status::ok);
  // One millisecond short of user 7's timeout: nothing is swept yet.
  env.Advance(std::chrono::seconds(20) - std::chrono::milliseconds(1));
  metrics = f.Call(http::verb::get, "/metrics").body;
  CHECK(MetricValue(metrics, "botify_sessions_active ") == "2");
  CHECK(MetricValue(metrics, "botify_session_evictions_total{reason=\"idle\"}") == "0");
  // Past it: the scrape's sweep forgets user 7's session only.
  env.Advance(std::chrono::milliseconds(2));
  metrics = f.Call(http::verb::get, "/metrics").body;
  CHECK(MetricValue(metrics, "botify_sessions_active ") == "1");
  CHECK(MetricValue(metrics, "botify_session_evictions_total{reason=\"idle\"}") == "1");
}

TEST_CASE("request latencies and the uptime are read from the service's clock",
          "[server][api][clock]") {
  FakeEnv env;
  Fixture f(&env);
  // The clock stands still during the requests: every latency is exactly 0 (the real
  // clock would give some nanoseconds).
  REQUIRE(f.Call(http::verb::post, "/next/1", R"({"track": 5, "time": 0.5})").status ==
          http::status::ok);
  REQUIRE(f.Call(http::verb::post, "/last/1", R"({"track": 5, "time": 1})").status ==
          http::status::ok);
  const std::string metrics = f.Call(http::verb::get, "/metrics").body;
  const std::string next_sum =
      MetricValue(metrics, "botify_request_duration_seconds_sum{route=\"next\"");
  const std::string last_sum =
      MetricValue(metrics, "botify_request_duration_seconds_sum{route=\"last\"");
  CHECK(next_sum == "0");
  CHECK(last_sum == "0");
  CHECK(MetricValue(metrics, "botify_request_duration_seconds_count{route=\"next\"") == "1");

  auto status = ParseObject(f.service->StatusJson());
  REQUIRE(status.ok());
  CHECK(status->at("uptime_seconds").as_int64() == 0);
  env.Advance(std::chrono::hours(3) + std::chrono::seconds(7));
  status = ParseObject(f.service->StatusJson());
  REQUIRE(status.ok());
  CHECK(status->at("uptime_seconds").as_int64() == 3 * 3600 + 7);
}

TEST_CASE("API errors are JSON with the right status", "[server][api]") {
  Fixture f;
  auto expect = [&](http::verb m, const std::string& target, const std::string& body,
                    http::status status) {
    INFO(target << " " << body);
    auto res = f.Call(m, target, body);
    CHECK(res.status == status);
    auto parsed = ParseObject(res.body);
    REQUIRE(parsed.ok());
    CHECK(parsed->contains("error"));
  };
  expect(http::verb::post, "/next/1", "{bad", http::status::bad_request);
  expect(http::verb::post, "/next/x", R"({"track": 1, "time": 0.5})", http::status::bad_request);
  expect(http::verb::post, "/next/1", R"({"track": 100, "time": 0.5})", http::status::not_found);
  expect(http::verb::get, "/next/1", "", http::status::method_not_allowed);
  expect(http::verb::get, "/track/100", "", http::status::not_found);
  expect(http::verb::get, "/track/abc", "", http::status::bad_request);
  expect(http::verb::get, "/nothing/here", "", http::status::not_found);
  expect(http::verb::post, "/", "", http::status::method_not_allowed);
  f.service->StartDraining();
  expect(http::verb::post, "/next/1", R"({"track": 1, "time": 0.5})",
         http::status::service_unavailable);
}

TEST_CASE("track lookup escapes names and metrics count requests per route", "[server][api]") {
  Fixture f;
  auto res = f.Call(http::verb::get, "/track/7");
  CHECK(res.body == R"({"track": 7, "artist": "artist 7", "title": "title 7"})");
  f.Call(http::verb::post, "/next/1", R"({"track": 1, "time": 0.5})");
  f.Call(http::verb::post, "/next/1", "{");
  res = f.Call(http::verb::get, "/metrics");
  CHECK(res.content_type.starts_with("text/plain"));
  CHECK_THAT(res.body,
             Catch::Contains(R"(botify_requests_total{route="next",arm="none",code="200"} 1)"));
  CHECK_THAT(res.body,
             Catch::Contains(R"(botify_requests_total{route="next",arm="none",code="400"} 1)"));
  CHECK_THAT(res.body, Catch::Contains("botify_request_duration_seconds_bucket"));
  CHECK_THAT(res.body, Catch::Contains("botify_catalog_tracks 100"));
}

TEST_CASE("admin endpoints refuse missing tokens and non-loopback peers", "[server][admin]") {
  Fixture f;
  AdminOptions options;
  options.token = "0123456789abcdef0123";
  options.staging_dir = f.dir / "staging";
  AdminHandler admin(*f.service, options);
  const auto loopback = boost::asio::ip::make_address("127.0.0.1");
  const auto remote = boost::asio::ip::make_address("192.0.2.10");  // documentation range
  Request req{http::verb::post, "/admin/config", 11};
  req.body() = R"({"experiments": [{"name": "AA", "split": 2}]})";
  Response res;
  admin.Handle(req, loopback, &res);
  CHECK(res.status == http::status::unauthorized);
  req.set(http::field::authorization, "Bearer wrong-token-wrong-token");
  res.Reset();
  admin.Handle(req, loopback, &res);
  CHECK(res.status == http::status::unauthorized);
  req.set(http::field::authorization, "Bearer " + options.token);
  res.Reset();
  admin.Handle(req, remote, &res);
  CHECK(res.status == http::status::forbidden);
  CHECK(f.service->RoutingFor(f.ctx).experiments().empty());  // nothing changed so far
  res.Reset();
  admin.Handle(req, loopback, &res);
  CHECK(res.status == http::status::ok);
  CHECK(f.service->RoutingFor(f.ctx).experiments().size() == 1);
}

TEST_CASE("a bad config is refused and the old one keeps serving", "[server][admin]") {
  Fixture f;
  REQUIRE(f.service
              ->ReloadConfig(*serving::RoutingConfig::Parse(
                  R"({"experiments": [{"name": "AA", "split": 2}]})"))
              .ok());
  AdminOptions options;
  options.token = "0123456789abcdef0123";
  options.staging_dir = f.dir / "staging";
  AdminHandler admin(*f.service, options);
  Request req{http::verb::post, "/admin/config", 11};
  req.set(http::field::authorization, "Bearer " + options.token);
  req.body() = R"({"experiments": [{"name": "AA", "split": 20}]})";
  Response res;
  admin.Handle(req, boost::asio::ip::make_address("127.0.0.1"), &res);
  CHECK(res.status == http::status::bad_request);
  CHECK_THAT(res.body, Catch::Contains("previous one keeps serving"));
  CHECK(f.service->RoutingFor(f.ctx).experiments().at(0).name() == "AA");
}
