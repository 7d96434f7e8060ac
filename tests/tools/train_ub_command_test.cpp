#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "base/random.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/eventlog/event.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::MergeRecommendationParts;
using botify::testing::ReadFile;
using botify::testing::ReadRecommendationsFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

std::string EventLine(UserId user, TrackId track, double time, std::int64_t ts = 1) {
  std::string out;
  eventlog::LoggedArm arms[] = {{"AA", "C"}};
  eventlog::AppendEventJson(&out, eventlog::EventKind::kNext, ts, user, track, time, 0.001, 3,
                            arms);
  return out;
}

int TrainUb(const std::vector<std::string>& args, std::string* output) {
  std::vector<std::string> argv = {BOTIFY_CLI_BINARY, "train", "ub"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, output);
}

// Users 1 and 2 have identical rows; user 3 shares nothing; user 4 has one row.
void WriteTieLog(const TempDir& dir) {
  std::filesystem::create_directories(dir.path() / "logs" / "day2");
  WriteFile(dir / "logs/day1.jsonl", EventLine(1, 30, 1.0) + EventLine(1, 10, 1.0) +
                                         EventLine(1, 20, 0.0) + EventLine(1, 40, 0.0) +
                                         EventLine(3, 5, 1.0) + EventLine(3, 6, 0.0));
  WriteFile(dir / "logs/day2/a.log", EventLine(2, 30, 1.0) + EventLine(2, 10, 1.0) +
                                         EventLine(2, 20, 0.0) + EventLine(2, 40, 0.0) +
                                         EventLine(4, 10, 0.3));
}

}  // namespace

TEST_CASE("train ub writes one exact list per user of a nested log folder", "[tools][ub]") {
  TempDir dir;
  WriteTieLog(dir);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "ub.jsonl", "--threads", "2"}, &output) ==
          0);
  CHECK_THAT(output, Catch::Contains("4 users") && Catch::Contains("wrote 4 lists"));
  const auto lists = ReadRecommendationsFile(dir / "ub.jsonl");
  REQUIRE(lists.size() == 4);
  CHECK(lists[0].id == 1);
  CHECK(lists[0].tracks == std::vector<TrackId>{10, 30, 5, 6, 20, 40});
  CHECK(lists[2].id == 3);
  CHECK(lists[2].tracks == std::vector<TrackId>{5, 6, 10, 20, 30, 40});
  CHECK(lists[3].tracks == std::vector<TrackId>{5, 6, 10, 20, 30, 40});
  CHECK_FALSE(std::filesystem::exists(dir / "ub.jsonl.tmp"));

  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "ub2.jsonl", "-k", "2", "--exclude-played",
                   "-q"},
                  &output) == 0);
  CHECK(output.empty());
  CHECK(ReadRecommendationsFile(dir / "ub2.jsonl")[0].tracks == std::vector<TrackId>{5, 6});
}

TEST_CASE("train ub reports bad input with where and what", "[tools][ub]") {
  TempDir dir;
  std::string output;
  CHECK(TrainUb({"--logs", dir / "missing", "-o", dir / "o.jsonl"}, &output) != 0);
  CHECK_THAT(output, Catch::Contains("does not exist"));
  std::filesystem::create_directories(dir.path() / "empty");
  CHECK(TrainUb({"--logs", dir / "empty", "-o", dir / "o.jsonl"}, &output) != 0);
  CHECK_THAT(output, Catch::Contains("no events"));
  CHECK_FALSE(std::filesystem::exists(dir / "o.jsonl"));

  WriteFile(dir / "bad.jsonl",
            EventLine(1, 1, 0.5) + "{\"message\": \"next\"}\n" + EventLine(2, 1, 0.1));
  CHECK(TrainUb({"--logs", dir / "bad.jsonl", "-o", dir / "o.jsonl"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("bad.jsonl:2") && Catch::Contains("1 bad lines skipped"));
  CHECK(TrainUb({"--logs", dir / "bad.jsonl", "-o", dir / "o.jsonl", "--strict"}, &output) == 2);
  CHECK_THAT(output, Catch::Contains("bad.jsonl:2"));
  CHECK(TrainUb({"--logs", dir / "bad.jsonl", "--shrinkage", "-1", "-o", dir / "o.jsonl"},
                &output) != 0);
  CHECK_THAT(output, Catch::Contains("shrinkage"));
  CHECK(TrainUb({"--logs", dir / "bad.jsonl"}, &output) != 0);
  CHECK_THAT(output, Catch::Contains("--output"));
}

TEST_CASE("train ub --candidates-per-track: exact lists under a large cap, flag errors",
          "[tools][ub]") {
  TempDir dir;
  WriteTieLog(dir);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "exact.jsonl", "-q"}, &output) == 0);
  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "bounded.jsonl", "--candidates-per-track",
                   "10", "--candidate-seed", "3"},
                  &output) == 0);
  CHECK_THAT(output, Catch::Contains("bounded mode, at most 10 candidates per track"));
  CHECK(ReadFile(dir / "bounded.jsonl") == ReadFile(dir / "exact.jsonl"));

  // A cap of 1 on track 10 (users 1, 2, 4) keeps one of them: user 1 can lose user 2.
  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "one.jsonl", "--candidates-per-track", "1"},
                  &output) == 0);
  CHECK_THAT(output, Catch::Contains("index entries"));

  for (const char* bad : {"-1", "x", "1.5"}) {
    INFO(bad);
    CHECK(TrainUb({"--logs", dir / "logs", "-o", dir / "o.jsonl", "--candidates-per-track", bad},
                  &output) == 2);
    CHECK_THAT(output, Catch::Contains("--candidates-per-track"));
  }
  CHECK(TrainUb({"--logs", dir / "logs", "-o", dir / "o.jsonl", "--candidate-seed", "3"},
                &output) == 2);
  CHECK_THAT(output,
             Catch::Contains("--candidate-seed") && Catch::Contains("--candidates-per-track"));
  CHECK(TrainUb({"--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("--candidates-per-track") && Catch::Contains("Bounded mode"));
}

TEST_CASE("train ub --eval prints precision and recall against a popularity baseline",
          "[tools][ub]") {
  TempDir dir;
  std::string log;
  // Two taste groups; each user's later rows repeat their group's tracks.
  for (UserId u = 0; u < 40; ++u) {
    const TrackId base = (u % 2) * 100;
    for (int i = 0; i < 20; ++i) log += EventLine(u, base + (u * 7 + i * 3) % 25, 0.9, i);
  }
  WriteFile(dir / "log.jsonl", log);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "log.jsonl", "--eval", "--eval-k", "5", "-q"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("| user-based CF | 40 |") && Catch::Contains("precision@5") &&
                         Catch::Contains("| top popular | 40 |"));
}

TEST_CASE("train ub matches the Python reference of the seminar notebook exactly",
          "[tools][ub][python]") {
  TempDir dir;
  Rng rng(2024);
  std::string a, b;
  for (int i = 0; i < 1500; ++i) {
    // Skewed users (some with a single row) and tracks (some never played twice).
    const auto user = static_cast<UserId>(rng.Uniform(80) * rng.UniformDouble());
    const auto track = static_cast<TrackId>(rng.Uniform(120) * rng.UniformDouble() * 2);
    const double time = static_cast<double>(rng.Uniform(1000000)) / 1e6;
    (i % 3 == 0 ? a : b) += EventLine(user, track, time, i);
  }
  std::filesystem::create_directories(dir.path() / "logs" / "x");
  WriteFile(dir / "logs/x/part-1.jsonl", a);
  WriteFile(dir / "logs/part-0.jsonl", b);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "logs", "-o", dir / "ours.jsonl", "-q"}, &output) == 0);
  const std::string script = std::string(BOTIFY_SOURCE_DIR) + "/tests/tools/ub_reference.py";
  REQUIRE(
      RunCommand({"/usr/bin/python3", script, "--logs", dir / "logs", "--out", dir / "ref.jsonl"},
                 &output) == 0);
  INFO(output);
  const std::string ours = ReadFile(dir / "ours.jsonl");
  const std::string ref = ReadFile(dir / "ref.jsonl");
  CHECK(std::count(ours.begin(), ours.end(), '\n') > 50);
  CHECK(ours == ref);
}

TEST_CASE("train ub keeps the Python reference's exact ties from repeated plays",
          "[tools][ub][python]") {
  // Simulator-like logs: listen times on a coarse grid and many repeated plays, where a
  // track played n times and one played once often have the same mean in pandas
  // (compensated sums); plain summation broke such ties (3 of 10,000 users on the
  // default pipeline's logs).
  TempDir dir;
  Rng rng(77);
  const double grid[] = {0.05, 0.1, 0.2, 0.75, 1.0};
  std::string log;
  for (int i = 0; i < 3000; ++i) {
    const auto user = static_cast<UserId>(rng.Uniform(60));
    const auto track = static_cast<TrackId>(rng.Uniform(40));
    log += EventLine(user, track, grid[rng.Uniform(5)], i);
  }
  WriteFile(dir / "log.jsonl", log);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "log.jsonl", "-o", dir / "ours.jsonl", "-q"}, &output) == 0);
  const std::string script = std::string(BOTIFY_SOURCE_DIR) + "/tests/tools/ub_reference.py";
  REQUIRE(RunCommand(
              {"/usr/bin/python3", script, "--logs", dir / "log.jsonl", "--out", dir / "ref.jsonl"},
              &output) == 0);
  INFO(output);
  CHECK(ReadFile(dir / "ours.jsonl") == ReadFile(dir / "ref.jsonl"));
}

TEST_CASE("train ub --users-shard I/N: the N files together are the unsharded file",
          "[tools][ub][shard]") {
  TempDir dir;
  Rng rng(31);
  std::string log;
  for (int i = 0; i < 3000; ++i) {
    log += EventLine(static_cast<UserId>(rng.Uniform(150)), static_cast<TrackId>(rng.Uniform(90)),
                     static_cast<double>(rng.Uniform(1000)) / 1000, i);
  }
  WriteFile(dir / "log.jsonl", log);
  std::string output;
  REQUIRE(TrainUb({"--logs", dir / "log.jsonl", "-o", dir / "whole.jsonl", "-q"}, &output) == 0);
  const std::string whole = ReadFile(dir / "whole.jsonl");
  for (int n : {1, 2, 3, 7}) {
    INFO(n << " shards");
    std::vector<std::string> parts;
    for (int i = 0; i < n; ++i) {
      parts.push_back(dir / ("part-" + std::to_string(i) + ".jsonl"));
      const std::string shard = std::to_string(i) + "/" + std::to_string(n);
      REQUIRE(TrainUb({"--logs", dir / "log.jsonl", "-o", parts.back(), "--users-shard", shard},
                      &output) == 0);
      if (n > 1) CHECK_THAT(output, Catch::Contains("(users shard " + shard + " of 150 users)"));
    }
    CHECK(MergeRecommendationParts(parts) == whole);
  }
  CHECK(TrainUb({"--logs", dir / "log.jsonl", "-o", dir / "x", "--users-shard", "2/2"}, &output) !=
        0);
  CHECK_THAT(output, Catch::Contains("--users-shard: shard '2/2': shard index 2 is not below"));
  CHECK(TrainUb({"--logs", dir / "log.jsonl", "--eval", "--users-shard", "0/2"}, &output) != 0);
  CHECK_THAT(output, Catch::Contains("--eval evaluates every user"));
}
