// Routing configs an operator gets wrong, against the real server and CLI (docs/server.md,
// "Admin endpoints"): a config naming an index the server does not have is refused at push
// and at SIGHUP with the arm and the index named (and only warned about at start-up, when
// indexes are usually loaded later, and botify_arm_index_missing shows the arm); a config
// past the bounds is refused; `config push --db` is refused instead of being sent to the
// default server.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/json_fields.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kAa = R"({"experiments": [{"name": "AA", "split": 2}]})";
constexpr const char* kTypo =
    R"({"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:nope"}}], "routing": "USER_BASED"})";
constexpr const char* kUserBased =
    R"({"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"})";

// The experiment names of the serving config, from /admin/status.
std::string ServingExperiments(TestServer& server) {
  HttpClient admin(server.admin_port());
  auto status = ParseObject(
      admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer " + server.token()}})
          .body);
  REQUIRE(status.ok());
  std::string names;
  for (const auto& e : status->at("config").at("experiments").as_array()) {
    names += std::string(e.at("name").as_string()) + " ";
  }
  return names;
}

}  // namespace

TEST_CASE(
    "a config naming an index the server does not have is refused at push and SIGHUP, naming "
    "the arm and the index; the old config keeps serving",
    "[server][config]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kAa});
  REQUIRE(LoadIndex(dir, server, "ub", "{\"user\": 1, \"tracks\": [5]}\n").status == 200);
  const std::vector<std::string> admin = {"--server",
                                          "127.0.0.1:" + std::to_string(server.admin_port()),
                                          "--token-file", dir / "token"};
  auto push = [&](const std::string& text, std::string* out) {
    WriteFile(dir / "push.json", text);
    std::vector<std::string> args = {BOTIFY_CLI_BINARY, "config", "push", "--file",
                                     dir / "push.json"};
    args.insert(args.end(), admin.begin(), admin.end());
    return RunCommand(args, out);
  };
  std::string out;
  CHECK(push(kTypo, &out) != 0);
  CHECK_THAT(out, Catch::Contains("400") &&
                      Catch::Contains("experiments[0] (USER_BASED) arm T1: 'indexed:nope' reads "
                                      "index 'nope', which this server does not have") &&
                      Catch::Contains("it has: ub"));
  CHECK(ServingExperiments(server) == "AA ");

  // The same file behind SIGHUP: refused, the old config serves on.
  WriteFile(server.config_path(), kTypo);
  server.Signal(SIGHUP);
  REQUIRE(WaitUntil([&] { return server.Stderr().find("SIGHUP: config") != std::string::npos; }));
  CHECK_THAT(server.Stderr(), Catch::Contains("SIGHUP: config refused") &&
                                  Catch::Contains("arm T1: 'indexed:nope' reads index 'nope'"));
  CHECK(ServingExperiments(server) == "AA ");

  REQUIRE(push(kUserBased, &out) == 0);
  CHECK(ServingExperiments(server) == "USER_BASED ");
  HttpClient client(server.port());
  CHECK(MetricValue(client.Get("/metrics").body,
                    R"(botify_arm_index_missing{experiment="USER_BASED",arm="T1",index="ub"})") ==
        0.0);
  CHECK(server.Stop() == 0);
}

TEST_CASE("at start-up a config naming a missing index is served with a warning per arm",
          "[server][config]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kTypo});
  CHECK(ServingExperiments(server) == "USER_BASED ");
  CHECK_THAT(server.Stderr(), Catch::Contains("WARNING") &&
                                  Catch::Contains("arm T1: 'indexed:nope' reads index 'nope'"));
  HttpClient client(server.port());
  const std::string series =
      R"(botify_arm_index_missing{experiment="USER_BASED",arm="T1",index="nope"})";
  CHECK(MetricValue(client.Get("/metrics").body, series) == 1.0);
  CHECK(server.Stop() == 0);
}

TEST_CASE("a config past the bounds (32 experiments) is refused with the limit named",
          "[server][config]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kAa});
  std::string many = R"({"experiments": [)";
  for (int i = 0; i < 10000; ++i) {
    many +=
        (i ? ", " : "") + std::string(R"({"name": "E)") + std::to_string(i) + R"(", "split": 2})";
  }
  many += "]}";
  HttpClient admin(server.admin_port());
  auto reply =
      admin.Request("POST", "/admin/config", many, {{"Authorization", "Bearer " + server.token()}});
  CHECK(reply.status == 400);
  CHECK_THAT(reply.body, Catch::Contains("10000 experiments, more than the limit of 32"));
  CHECK(ServingExperiments(server) == "AA ");
  HttpClient client(server.port());
  CHECK(client.Post("/next/1", R"({"track": 1, "time": 0.5})").status == 200);
  CHECK(server.Stop() == 0);
}

TEST_CASE("config push --db is refused: the routing config is not in the database",
          "[server][config][cli]") {
  TempDir dir;
  WriteFile(dir / "aa.json", kAa);
  std::string out;
  // Nothing listens at the default server here: without the refusal the push would fail
  // there instead, having ignored --db.
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "config", "push", "--file", dir / "aa.json", "--db",
                    dir / "db", "--server", "127.0.0.1:1", "--token-file", dir / "none"},
                   &out) == 2);
  CHECK_THAT(out, Catch::Contains("--db") && Catch::Contains("not kept in the database"));
  CHECK_FALSE(fs::exists(dir / "db"));
}
