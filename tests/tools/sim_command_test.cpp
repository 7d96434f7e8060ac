// Runs `botify sim` as a user would.
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/test_support.h"

using botify::testing::ReadFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;

namespace {

std::string MakeWorld(const TempDir& dir) {
  const std::string w = dir / "world";
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", w, "--preset", "small", "--users",
                      "60"}) == 0);
  return w;
}

// The markdown table rows of the output (stderr's timing lines differ between runs).
std::string TableLines(const std::string& output) {
  std::istringstream in(output);
  std::string line, table;
  while (std::getline(in, line)) {
    if (line.starts_with("|")) table += line + "\n";
  }
  return table;
}

}  // namespace

TEST_CASE("sim --in-process prints a table per day and per-episode lines", "[tools][sim]") {
  TempDir dir;
  const std::string world = MakeWorld(dir);
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", world, "--in-process", "oracle",
                      "--episodes", "50", "--days", "2", "--seed", "5", "--no-progress",
                      "--episodes-out", dir / "episodes.jsonl"},
                     &out) == 0);
  CHECK_THAT(out, Catch::Contains("| day | episodes | reward (mean ± se) | steps (mean ± se) |"));
  CHECK_THAT(out, Catch::Contains("| 1 | 50 |"));
  CHECK_THAT(out, Catch::Contains("| 2 | 50 |"));
  std::istringstream lines(ReadFile(dir / "episodes.jsonl"));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    CHECK_THAT(line, Catch::StartsWith("{\"day\": "));
    ++n;
  }
  CHECK(n == 100);
  // Same seed, same output.
  std::string again;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", world, "--in-process", "oracle",
                      "--episodes", "50", "--days", "2", "--seed", "5", "--no-progress"},
                     &again) == 0);
  CHECK(TableLines(again) == TableLines(out));
  CHECK(TableLines(out).size() > 100);
}

TEST_CASE("sim against no server exits non-zero with a clear message", "[tools][sim]") {
  TempDir dir;
  const std::string world = MakeWorld(dir);
  std::string out;
  // Port 9 (discard) has no listener on the loopback of a test machine.
  const int rc = RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", world, "--port", "9",
                             "--episodes", "5", "--retries", "1", "--no-progress"},
                            &out, 30000);
  CHECK(rc != 0);
  CHECK_THAT(out, Catch::Contains("does not answer"));
  CHECK_THAT(out, Catch::Contains("127.0.0.1:9"));
}

TEST_CASE("sim reports bad world files and flags", "[tools][sim]") {
  TempDir dir;
  std::string out;
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "none", "--in-process", "random"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("tracks.json"));
  const std::string world = MakeWorld(dir);
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", world, "--in-process", "genius"}, &out) !=
        0);
  CHECK_THAT(out, Catch::Contains("unknown in-process policy 'genius'"));
}
