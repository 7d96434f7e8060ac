// Every `botify` command that reads event logs treats bad input alike (tools/log_input.h):
// no events -> exit 2 "no events in ...", a truncated gzip file under --strict -> exit 2
// naming the file, a bad flag -> exit 2 (the convention in `botify --help`).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/eventlog/event.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;
using botify::testing::WriteGzipFile;

namespace {

std::string Lines(int users) {
  std::string out;
  eventlog::LoggedArm arms[] = {{"AA", "C"}};
  for (int u = 0; u < users; ++u) {
    for (int i = 0; i < 5; ++i) {
      eventlog::AppendEventJson(&out, eventlog::EventKind::kNext, 1000 + u * 10 + i, u, (u + i) % 7,
                                0.9, 0.001, (u + i + 1) % 7, arms);
    }
  }
  return out;
}

// The command line of each log-reading command, reading `logs`, writing under `dir`.
std::vector<std::vector<std::string>> Commands(const std::string& logs, const std::string& dir) {
  const std::string cli = BOTIFY_CLI_BINARY;
  return {
      {cli, "train", "ub", "--logs", logs, "-o", dir + "/ub.jsonl", "-q"},
      {cli, "train", "top", "--logs", logs, "--out", dir + "/top.jsonl"},
      {cli, "train", "contextual", "--logs", logs, "-o", dir + "/ctx.jsonl", "-q"},
      {cli, "train", "mf", "--logs", logs, "--out", dir + "/mf.jsonl", "--epochs", "1"},
      {cli, "train", "search", "--logs", logs, "--out", dir + "/p.json", "--trials", "1"},
      {cli, "ab", "--logs", logs, "--experiment", "AA"},
  };
}

std::string Name(const std::vector<std::string>& argv) { return argv[1] + " " + argv[2]; }

}  // namespace

TEST_CASE("every log-reading command exits 2 on logs without events", "[tools][cli]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  WriteFile(dir / "empty/x.jsonl", "\n");
  for (auto argv : Commands(dir / "empty", dir.path())) {
    INFO(Name(argv));
    std::string output;
    CHECK(RunCommand(argv, &output) == 2);
    CHECK_THAT(output, Catch::Contains("no events in"));
  }
}

TEST_CASE("every log-reading command honours --strict on a truncated gzip file", "[tools][cli]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "logs");
  WriteGzipFile(dir / "logs/day.jsonl.gz", Lines(300), 100);
  for (auto argv : Commands(dir / "logs", dir.path())) {
    INFO(Name(argv));
    std::string output;
    RunCommand(argv, &output);
    // Without --strict the cut is reported, not taken for a malformed JSON line.
    CHECK_THAT(output, Catch::Contains("day.jsonl.gz: truncated gzip stream"));
    CHECK_THAT(output, !Catch::Contains("malformed"));
    argv.push_back("--strict");
    CHECK(RunCommand(argv, &output) == 2);
    CHECK_THAT(output, Catch::Contains("day.jsonl.gz: truncated gzip stream"));
  }
}

TEST_CASE("a bad flag is exit 2 and --help states the exit codes", "[tools][cli]") {
  std::string output;
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "ub", "--no-such-flag"}, &output) == 2);
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "ab"}, &output) == 2);  // required flags missing
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("Exit status") && Catch::Contains("2 bad usage"));
}
