// Integration tests: the real botify-server binary on ephemeral loopback ports.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "base/json_fields.h"
#include "engine/eventlog/event.h"
#include "engine/serving/experiment.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;

namespace {

bool IsJsonError(const HttpReply& reply) {
  auto obj = ParseObject(reply.body);
  return obj.ok() && obj->contains("error") && reply.headers.count("content-type") &&
         reply.headers.at("content-type") == "application/json";
}

}  // namespace

TEST_CASE(
    "the real server answers the contract's table (docs/contracts.md §3) over HTTP, for good and "
    "bad requests",
    "[server][http]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json"});
  HttpClient client(server.port());

  auto root = client.Get("/");
  CHECK(root.status == 200);
  CHECK_THAT(root.body, Catch::Contains(R"("status": "alive")"));
  CHECK(client.Get("/track/5").body == R"({"track": 5, "artist": "artist 5", "title": "title 5"})");
  CHECK(client.Get("/track/100").status == 404);

  int ok_events = 0;
  for (const char* body : {R"({"track": 3, "time": 0.5})", R"({"track": 3, "time": 1})",
                           R"({"time": 0, "track": 99})"}) {
    auto next = client.Post("/next/5650", body);
    REQUIRE(next.status == 200);
    CHECK(TrackOf(next) >= 0);
    CHECK(TrackOf(next) < 100);
    ++ok_events;
  }
  auto last = client.Post("/last/5650", R"({"track": 3, "time": 0.2})");
  CHECK(last.status == 200);
  CHECK(last.body == R"({"user": 5650})");
  ++ok_events;

  const std::vector<std::pair<std::string, int>> bad_bodies = {
      {"{not json", 400},
      {R"({"track": 3})", 400},
      {R"({"track": "3", "time": 0.5})", 400},
      {R"({"track": 3, "time": "0.5"})", 400},
      {R"({"track": 3, "time": NaN})", 400},
      {R"({"track": 3, "time": 1.5})", 400},
      {R"({"track": 3, "time": -0.5})", 400},
      {R"({"track": -3, "time": 0.5})", 400},
      {R"({"track": 3.5, "time": 0.5})", 400},
      {R"({"track": 100, "time": 0.5})", 404},
      {std::string(1 << 20, 'x'), 413},
  };
  for (const auto& [body, status] : bad_bodies) {
    INFO(body.substr(0, 60));
    auto reply = client.Post("/next/1", body);
    CHECK(reply.status == status);
    CHECK(IsJsonError(reply));
  }
  for (const char* target : {"/next/abc", "/next/-1", "/next/1.5", "/next/99999999999"}) {
    INFO(target);
    auto reply = client.Post(target, R"({"track": 3, "time": 0.5})");
    CHECK(reply.status == 400);
    CHECK(IsJsonError(reply));
  }
  CHECK(client.Get("/no/such/path").status == 404);
  CHECK(client.Get("/next/1").status == 405);
  CHECK(client.Get("/healthz").status == 200);
  CHECK(client.Get("/readyz").status == 200);
  CHECK_THAT(client.Raw("GARBAGE / HTTP/9\r\n\r\n"), Catch::StartsWith("HTTP/1.1 400"));
  // HEAD gets headers only: the GET pipelined behind it is answered in step.
  const std::string head_then_get = client.Raw(
      "HEAD /track/1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /track/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK_THAT(head_then_get, Catch::Contains("\r\n\r\nHTTP/1.1 200 OK\r\n"));
  CHECK_THAT(head_then_get,
             !Catch::Contains(R"("track": 1)") && Catch::EndsWith(R"("title": "title 2"})"));
  CHECK_THAT(client.Raw("GET / HTTP/1.1\r\nHost: x\r\n" + std::string(20000, 'h') + ": 1\r\n\r\n"),
             Catch::StartsWith("HTTP/1.1 431"));

  // Still alive, and the log holds exactly the successful events, each well-formed.
  CHECK(client.Get("/").status == 200);
  auto metrics = client.Get("/metrics");
  // (The client may resend the refused body once on a fresh connection: count >= 1.)
  // A Contains check on the series name could not fail: the series may be printed at 0.
  CHECK(MetricValue(metrics.body, R"(botify_requests_total{route="next",arm="none",code="413"})")
            .value_or(0) >= 1);
  REQUIRE(server.Stop() == 0);
  const auto lines = SealedLines(server.log_dir());
  REQUIRE(static_cast<int>(lines.size()) == ok_events);
  for (const auto& line : lines) {
    auto event = eventlog::ParseEvent(line);
    REQUIRE(event.ok());
    CHECK(event->user == 5650);
    CHECK(line.rfind(R"({"message": ")", 0) == 0);
  }
  CHECK(eventlog::ParseEvent(lines.back())->kind == eventlog::EventKind::kLast);
}

TEST_CASE("arms in the log match an independent implementation of the hash",
          "[server][http][experiment]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 50);
  TestServer server(dir, {dir / "tracks.json",
                          R"({"experiments": [
                               {"name": "USER_BASED", "split": 2},
                               {"name": "STICKY_ARTIST", "split": 4},
                               {"name": "HIDDEN", "split": 3, "log": false}]})"});
  HttpClient client(server.port());
  for (int user = 0; user < 400; user += 3) {
    REQUIRE(client.Post("/next/" + std::to_string(user), R"({"track": 1, "time": 0.5})").status ==
            200);
  }
  REQUIRE(server.Stop() == 0);
  std::string output;
  std::vector<std::string> argv = {
      "/usr/bin/python3", std::string(BOTIFY_SOURCE_DIR) + "/tests/reference/experiment_arms.py",
      R"({"USER_BASED": 2, "STICKY_ARTIST": 4})"};
  for (const auto& e : std::filesystem::directory_iterator(server.log_dir() + "/sealed")) {
    argv.push_back(e.path().string());
  }
  CHECK(RunCommand(argv, &output) == 0);
  CHECK_THAT(output, Catch::StartsWith("ok 268"));
  for (const auto& line : SealedLines(server.log_dir())) {
    CHECK(eventlog::ParseEvent(line)->ArmOf("HIDDEN") == nullptr);
  }
}

TEST_CASE("USER_BASED sends T1 users to their list, C users to random, others to the catalog",
          "[server][http][experiment]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 200);
  TestServer server(dir, {dir / "tracks.json"});
  std::string lines;
  for (int user = 0; user < 100; ++user) {
    lines += "{\"user\": " + std::to_string(user) + ", \"tracks\": [10, 11, 12]}\n";
  }
  auto loaded = LoadIndex(dir, server, "ub", lines);
  REQUIRE(loaded.status == 200);
  HttpClient admin(server.admin_port());
  auto config = admin.Request(
      "POST", "/admin/config",
      R"({"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}],
          "routing": "USER_BASED"})",
      {{"Authorization", "Bearer " + server.token()}});
  REQUIRE(config.status == 200);

  auto experiment = serving::Experiment::Create("USER_BASED", 2);
  HttpClient client(server.port());
  std::set<std::int64_t> control_tracks, unlisted_tracks;
  for (int user = 0; user < 200; ++user) {
    const bool treated = experiment->Assign(user) == 1;
    for (int i = 0; i < 10; ++i) {
      const auto track =
          TrackOf(client.Post("/next/" + std::to_string(user), R"({"track": 1, "time": 0.5})"));
      CHECK((track >= 0 && track < 200));
      if (treated && user < 100) {
        CHECK((track >= 10 && track <= 12));
      } else if (user < 100) {
        control_tracks.insert(track);
      } else if (treated) {
        unlisted_tracks.insert(track);
      }
    }
  }
  CHECK(control_tracks.size() > 50);
  CHECK(unlisted_tracks.size() > 50);
  auto metrics = client.Get("/metrics");
  CHECK_THAT(metrics.body, Catch::Contains(R"(route="next",arm="T1",code="200")"));
  CHECK_THAT(metrics.body, Catch::Contains(R"(botify_index_generation{name="ub"} 1)"));
  REQUIRE(server.Stop() == 0);
}

TEST_CASE("admin endpoints need the token", "[server][http][admin]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 20);
  TestServer server(dir, {dir / "tracks.json"});
  HttpClient admin(server.admin_port());
  CHECK(admin.Get("/admin/status").status == 401);
  CHECK(admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer nope"}}).status ==
        401);
  auto status =
      admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer " + server.token()}});
  CHECK(status.status == 200);
  CHECK_THAT(status.body, Catch::Contains(R"("tracks":20)"));
  CHECK(LoadIndex(dir, server, "bad name!", "{\"user\": 1, \"tracks\": [1]}\n").status == 400);
  REQUIRE(server.Stop() == 0);
}

TEST_CASE("--admin-body-limit bounds index uploads: over it 413, the host keeps serving",
          "[server][http][admin][limits]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 20);
  const std::string lists = "{\"user\": 1, \"tracks\": [3, 4]}\n";
  {
    TestServer server(dir, {dir / "tracks.json", "", {"--admin-body-limit", "256"}});
    auto refused = LoadIndex(dir, server, "ub", lists);  // any SST is over 256 bytes
    CHECK(refused.status == 413);
    CHECK_THAT(refused.body, Catch::Contains("larger than 256 bytes"));
    HttpClient api(server.port());
    CHECK(api.Get("/").status == 200);
    REQUIRE(server.Stop() == 0);
  }
  TestServer server(dir, {dir / "tracks.json", "", {"--admin-body-limit", "1048576"}});
  CHECK(LoadIndex(dir, server, "ub", lists).status == 200);
  REQUIRE(server.Stop() == 0);
}

TEST_CASE("an admin token file other users can read is refused at start", "[server][http][admin]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 10);
  WriteFile(dir / "token", "0123456789abcdef0123456789abcdef\n");
  std::filesystem::permissions(dir / "token", std::filesystem::perms(0644));
  std::string output;
  const int code = RunCommand(
      {BOTIFY_SERVER_BINARY, "--db", dir / "db", "--tracks", dir / "tracks.json", "--log-dir",
       dir / "logs", "--port", "0", "--admin-port", "0", "--admin-token-file", dir / "token"},
      &output, 30000);
  CHECK(code == 1);
  CHECK_THAT(output, Catch::Contains("accessible to other users (mode 0644); run chmod 600"));
  std::filesystem::permissions(dir / "token", std::filesystem::perms(0600));
  TestServer server(dir, {""});  // the same file, private: accepted
  CHECK(server.token() == "0123456789abcdef0123456789abcdef");
}
