// The simulator against the real server (docs/contracts.md §8): a day completes without errors and
// the server's log holds exactly one `last` per episode.
#include <catch2/catch.hpp>

#include "engine/eventlog/event.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;

TEST_CASE("a simulated day over HTTP has zero errors and one last per episode", "[e2e][sim]") {
  TempDir dir;
  std::string output;
  REQUIRE(
      RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "world", "--preset", "small"},
                 &output) == 0);
  TestServer server(dir, {dir / "world/tracks.json"});
  const int episodes = 3000;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "world", "--port",
                      std::to_string(server.port()), "--episodes", std::to_string(episodes),
                      "--connections", "32", "--seed", "5", "--no-progress"},
                     &output) == 0);
  CHECK_THAT(output, Catch::Contains("errors 0"));
  CHECK_THAT(output, Catch::Contains("| 1 | 3000 |"));
  REQUIRE(server.Stop() == 0);
  int lasts = 0, nexts = 0;
  for (const auto& line : SealedLines(server.log_dir())) {
    auto event = eventlog::ParseEvent(line);
    REQUIRE(event.ok());
    (event->kind == eventlog::EventKind::kLast ? lasts : nexts) += 1;
  }
  CHECK(lasts == episodes);
  CHECK(nexts > episodes);
}
