// Session-aware serving through the real server over HTTP (issue 14).
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;

namespace {

constexpr int kTracks = 60;

// Track t's contextual list: the next 20 tracks (so lists overlap and run out).
std::string ContextualLines() {
  std::string lines;
  for (int t = 0; t < kTracks; ++t) {
    lines += "{\"track\": " + std::to_string(t) + ", \"recommendations\": [";
    for (int k = 1; k <= 20; ++k) {
      lines += std::to_string((t + k) % kTracks) + (k < 20 ? ", " : "");
    }
    lines += "]}\n";
  }
  return lines;
}

std::string Body(std::int64_t track, double time) {
  return "{\"track\": " + std::to_string(track) + ", \"time\": " + std::to_string(time) + "}";
}

// A server whose every user is routed to session:contextual:ctx.
struct SessionServer {
  TempDir dir;
  std::unique_ptr<TestServer> server;

  explicit SessionServer(std::vector<std::string> extra_args = {}) {
    WriteCatalog(dir / "tracks.json", kTracks, 6);
    server = std::make_unique<TestServer>(
        dir, TestServer::Options{dir / "tracks.json", R"({"default": "session:contextual:ctx"})",
                                 std::move(extra_args)});
    REQUIRE(LoadIndex(dir, *server, "ctx", ContextualLines()).status == 200);
  }

  double Metric(const std::string& line_prefix) {
    HttpClient client(server->port());
    const auto value = MetricValue(client.Get("/metrics").body, line_prefix);
    REQUIRE(value.has_value());
    return *value;
  }
};

}  // namespace

TEST_CASE(
    "a session never gets a repeated track while unplayed candidates remain, "
    "whichever connection its requests use",
    "[server][http][session]") {
  SessionServer s;
  std::vector<std::unique_ptr<HttpClient>> connections;
  for (int i = 0; i < 3; ++i) connections.push_back(std::make_unique<HttpClient>(s.server->port()));
  std::mt19937 rng(11);
  for (int session = 0; session < 20; ++session) {
    const int user = session % 7;  // users come back for new sessions
    std::int64_t track = static_cast<std::int64_t>(rng() % kTracks);
    std::set<std::int64_t> played{track};
    for (int step = 0; step < 40; ++step) {  // 41 tracks of 60: never exhausted
      HttpClient& client = *connections[rng() % connections.size()];
      const auto reply =
          client.Post("/next/" + std::to_string(user), Body(track, (rng() % 100) / 100.0));
      REQUIRE(reply.status == 200);
      track = TrackOf(reply);
      INFO("session " << session << " step " << step << " track " << track);
      REQUIRE(played.insert(track).second);
    }
    REQUIRE(connections[0]->Post("/last/" + std::to_string(user), Body(track, 0.1)).status == 200);
  }
  CHECK(s.Metric("botify_sessions_ended_total") == 20);
  CHECK(s.Metric("botify_sessions_active") == 0);
}

TEST_CASE("/last clears the session and concurrent users do not see each other's state",
          "[server][http][session]") {
  SessionServer s;
  // The same plays give the same answers in a fresh session...
  auto play = [&](int user, int steps) {
    HttpClient client(s.server->port());
    std::vector<std::int64_t> answers;
    std::int64_t track = 5;
    for (int step = 0; step < steps; ++step) {
      track = TrackOf(client.Post("/next/" + std::to_string(user), Body(track, 0.7)));
      answers.push_back(track);
    }
    CHECK(client.Post("/last/" + std::to_string(user), Body(track, 0.1)).status == 200);
    return answers;
  };
  const auto first = play(1, 15);
  CHECK(play(1, 15) == first);  // ...so /last forgot the first session
  // ...and two users playing alike at the same time get the same answers.
  std::vector<std::vector<std::int64_t>> concurrent(4);
  std::vector<std::thread> threads;
  for (int u = 0; u < 4; ++u) {
    threads.emplace_back([&, u] {
      for (int round = 0; round < 5; ++round) concurrent[u] = play(100 + u, 15);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& answers : concurrent) CHECK(answers == first);
}

TEST_CASE("idle sessions expire and the memory budget evicts", "[server][http][session]") {
  SECTION("idle timeout") {
    SessionServer s({"--session-idle-timeout", "1"});
    HttpClient client(s.server->port());
    const auto first = TrackOf(client.Post("/next/1", Body(5, 1.0)));
    CHECK(TrackOf(client.Post("/next/1", Body(5, 1.0))) != first);  // same session: no repeat
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    CHECK(TrackOf(client.Post("/next/1", Body(5, 1.0))) == first);  // a new session
    CHECK(s.Metric("botify_session_evictions_total{reason=\"idle\"}") >= 1);
  }
  SECTION("memory budget") {
    const int budget = 64 * 1024;  // the least allowed: 1 KiB for each of the 64 shards
    SessionServer s({"--session-memory-bytes", std::to_string(budget)});
    HttpClient client(s.server->port());
    for (int user = 0; user < 2000; ++user) {
      REQUIRE(client.Post("/next/" + std::to_string(user), Body(user % kTracks, 1.0)).status ==
              200);
    }
    CHECK(s.Metric("botify_session_memory_bytes") <= budget);
    CHECK(s.Metric("botify_session_evictions_total{reason=\"budget\"}") > 0);
    CHECK(s.Metric("botify_sessions_active") < 2000);
    CHECK(s.Metric("botify_session_memory_budget_bytes") == budget);
  }
}
