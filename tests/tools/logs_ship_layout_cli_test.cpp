// `botify logs ship --layout hive` through the real binary, and the readers of shipped logs
// (train ub, train top, ab) giving the same answers on both layouts (issue 17, item 3).
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/test_support.h"
#include "tests/tools/ship_test_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

// Runs a botify command whose only output that matters is `out_file` (or stdout when
// empty), and returns that output; fails the test on a non-zero exit.
std::string Output(std::vector<std::string> args, const std::string& out_file = "") {
  args.insert(args.begin(), BOTIFY_CLI_BINARY);
  std::string output;
  const int code = RunCommand(args, &output);
  INFO(output);
  REQUIRE(code == 0);
  return out_file.empty() ? output : ReadFile(out_file);
}

// Rewrites every segment in `dir` so that its rows are in arm C of USER_BASED.
void ToControlArm(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string text = ReadFile(e.path().string());
    const std::string from = "\"USER_BASED\": \"T1\"", to = "\"USER_BASED\": \"C\"";
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, from.size(), to);
    }
    WriteFile(e.path().string(), text);
  }
}

// `botify ab` on `logs`: its report, without the progress lines that name the files.
std::string AbReport(const std::string& logs) {
  std::string output, report;
  const int code = RunCommand(
      {BOTIFY_CLI_BINARY, "ab", "--logs", logs, "--experiment", "USER_BASED", "--format", "json"},
      &output);
  INFO(output);
  REQUIRE(code == 0);
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("botify ab:")) report += line + "\n";
  }
  return report;
}

}  // namespace

TEST_CASE(
    "logs ship --layout hive writes day=/host= folders that every reader reads like "
    "the plain layout",
    "[tools][ship][layout]") {
  TempDir tmp;
  for (const std::string host : {"edge-a", "edge-b"}) {
    fs::create_directories(tmp.path() / host);
    WriteSealedSegments(tmp.path() / host, 6, 40, host, host == "edge-a" ? 1 : 2);
    if (host == "edge-b") ToControlArm(tmp.path() / host);  // so that `ab` has two arms
    for (const std::string layout : {"plain", "hive"}) {
      Output({"logs", "ship", "--from", tmp / host, "--to", "file://" + tmp / layout, "--layout",
              layout});
    }
  }
  CHECK(fs::is_directory(tmp.path() / "hive/day=2024-02-19/host=edge-a"));
  CHECK(fs::is_directory(tmp.path() / "hive/day=2024-02-20/host=edge-b"));
  CHECK(fs::is_directory(tmp.path() / "plain/2024-02-19/edge-a"));
  CHECK(ShippedLines(ReadTree(tmp.path() / "hive")) ==
        ShippedLines(ReadTree(tmp.path() / "plain")));

  for (const std::string train : {"ub", "top"}) {
    const auto plain =
        Output({"train", train, "--logs", tmp / "plain", "--out", tmp / (train + ".plain.jsonl")},
               tmp / (train + ".plain.jsonl"));
    const auto hive =
        Output({"train", train, "--logs", tmp / "hive", "--out", tmp / (train + ".hive.jsonl")},
               tmp / (train + ".hive.jsonl"));
    CHECK(!plain.empty());
    CHECK(plain == hive);
  }
  const std::string plain_ab = AbReport(tmp / "plain");
  CHECK_THAT(plain_ab, Catch::Contains("mean_time_per_session"));
  CHECK(plain_ab == AbReport(tmp / "hive"));
}

TEST_CASE("logs ship --layout refuses an unknown layout and names the choices",
          "[tools][ship][layout]") {
  TempDir tmp;
  fs::create_directories(tmp.path() / "sealed");
  std::string output;
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "logs", "ship", "--from", tmp / "sealed", "--to",
                    "file://" + tmp / "out", "--layout", "flat"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("--layout") && Catch::Contains("flat"));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "logs", "ship", "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("day=<YYYY-MM-DD>/host=<host>/"));
}
