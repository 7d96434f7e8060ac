// End-to-end tests of `botify logs ship` (the real binary): crashes at random protocol
// steps, watch mode, pandas reading what was shipped, and flag errors.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "base/dir_lock.h"
#include "base/random.h"
#include "engine/eventlog/event.h"
#include "tests/test_support.h"
#include "tests/tools/ship_test_support.h"
#include "tests/tools/webhdfs_double.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> ShipArgs(const fs::path& sealed, const std::string& to,
                                  std::vector<std::string> extra) {
  std::vector<std::string> args = {BOTIFY_CLI_BINARY, "logs", "ship", "--from",
                                   sealed.string(),   "--to", to};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool Empty(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".jsonl") return false;
  }
  return true;
}

bool HasTemporaryFiles(const std::map<std::string, std::string>& files) {
  for (const auto& [path, content] : files) {
    if (fs::path(path).filename().string().starts_with(".")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("logs ship killed at random WebHDFS steps and re-run ships every line once",
          "[tools][ship][e2e][crash]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  fs::create_directories(sealed);
  const auto lines = WriteSealedSegments(sealed, 30, 25, "edge-3", 11);
  WebHdfsDouble hdfs;
  std::atomic<pid_t> victim{0};
  std::atomic<int> kill_at{0};
  std::atomic<bool> kill_after_apply{false};
  hdfs.SetHook([&](int seq, bool applied) {
    if (seq != kill_at.load() || applied != kill_after_apply.load()) return;
    for (int i = 0; i < 1000 && victim.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    kill(victim.load(), SIGKILL);
  });
  const bool gzip = GENERATE(false, true);
  Rng rng(gzip ? 7 : 8);
  int kills = 0;
  int runs = 0;
  for (; runs < 200 && !Empty(sealed); ++runs) {
    kill_at = hdfs.requests() + 1 + static_cast<int>(rng.Uniform(24));
    kill_after_apply = rng.Uniform(2) == 1;
    victim = 0;
    std::vector<std::string> extra = {"--delete", "--user", "botify", "--retries", "2"};
    if (gzip) extra.push_back("--gzip");
    ChildProcess child(ShipArgs(sealed, hdfs.Url("/logs"), extra), tmp / "out.txt",
                       tmp / "out.txt");
    victim = child.pid();
    const int code = child.Wait(60000);
    if (code == 128 + SIGKILL) ++kills;
    INFO(ReadFile(tmp / "out.txt"));
    REQUIRE((code == 0 || code == 128 + SIGKILL));
  }
  hdfs.SetHook(nullptr);
  INFO("runs " << runs << ", kills " << kills);
  CHECK(Empty(sealed));
  CHECK(kills >= 5);
  const auto files = hdfs.Files();
  CHECK(files.size() == 30);
  CHECK_FALSE(HasTemporaryFiles(files));
  CHECK(ShippedLines(files) == Sorted(lines));
}

TEST_CASE("logs ship to a folder killed at random moments and re-run ships every line once",
          "[tools][ship][e2e][crash]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  const fs::path out = tmp.path() / "out";
  fs::create_directories(sealed);
  const auto lines = WriteSealedSegments(sealed, 40, 400, "h", 12);
  Rng rng(12);
  int kills = 0;
  for (int run = 0; run < 100 && !Empty(sealed); ++run) {
    ChildProcess child(ShipArgs(sealed, "file://" + out.string(),
                                {"--archive", (tmp.path() / "archive").string(), "--gzip"}),
                       tmp / "out.txt", tmp / "out.txt");
    // Growing delays so that the loop always ends with a complete run.
    std::this_thread::sleep_for(std::chrono::microseconds(rng.Uniform(2000 + 2000 * run)));
    child.Signal(SIGKILL);
    const int code = child.Wait(60000);
    if (code == 128 + SIGKILL) ++kills;
    REQUIRE((code == 0 || code == 128 + SIGKILL));
  }
  std::string output;
  REQUIRE(RunCommand(ShipArgs(sealed, "file://" + out.string(),
                              {"--archive", (tmp.path() / "archive").string(), "--gzip"}),
                     &output) == 0);
  INFO("kills " << kills << "\n" << output);
  CHECK(kills >= 1);
  CHECK(Empty(sealed));
  const auto files = ReadTree(out);
  CHECK(files.size() == 40);
  CHECK_FALSE(HasTemporaryFiles(files));
  CHECK(ShippedLines(files) == Sorted(lines));
  CHECK(ShippedLines(ReadTree(tmp.path() / "archive")) == Sorted(lines));
}

TEST_CASE("logs ship --watch ships new segments until SIGTERM and writes metrics",
          "[tools][ship][e2e]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  fs::create_directories(sealed);
  WebHdfsDouble hdfs;
  const std::string metrics = tmp / "ship.prom";
  ChildProcess child(ShipArgs(sealed, hdfs.Url("/w"),
                              {"--delete", "--watch", "--interval", "0.05", "--metrics", metrics}),
                     tmp / "out.txt", tmp / "out.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto lines = WriteSealedSegments(sealed, 5, 10, "w", 13);
  for (int i = 0; i < 500 && hdfs.Files().size() < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  child.Signal(SIGTERM);
  const int code = child.Wait(10000);
  INFO(ReadFile(tmp / "out.txt"));
  CHECK(code == 0);
  CHECK(ShippedLines(hdfs.Files()) == Sorted(lines));
  CHECK(Empty(sealed));
  CHECK_THAT(ReadFile(metrics),
             Catch::Contains("botify_ship_segments_total{outcome=\"shipped\"} 5"));
  CHECK_THAT(ReadFile(tmp / "out.txt"),
             Catch::Contains("5 shipped") && Catch::Contains("stopped by signal"));
}

TEST_CASE("pandas.read_json(lines=True) reads shipped files into the docs/contracts.md §7 columns",
          "[tools][ship][e2e][pandas]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  fs::create_directories(sealed);
  const auto lines = WriteSealedSegments(sealed, 2, 30, "p", 14);
  const bool gzip = GENERATE(false, true);
  std::vector<std::string> extra = {"--archive", (tmp.path() / "archive").string()};
  if (gzip) extra.push_back("--gzip");
  REQUIRE(RunCommand(ShipArgs(sealed, "file://" + (tmp / "out"), extra)) == 0);
  std::int64_t user_sum = 0;
  for (const auto& line : lines)
    user_sum += eventlog::ParseEvent(line.substr(0, line.size() - 1))->user;
  const std::string script =
      "import glob, sys, pandas\n"
      "paths = sorted(glob.glob(sys.argv[1] + '/*/*/*.jsonl*'))\n"
      "df = pandas.concat([pandas.read_json(p, lines=True) for p in paths])\n"
      "print(len(paths), ','.join(df.columns), len(df), int(df.user.sum()),\n"
      "      df.time.dtype, df.latency.dtype, df.experiments.iloc[0]['USER_BASED'],\n"
      "      int(df.recommendation.isna().sum()) > 0)\n";
  WriteFile(tmp / "read.py", script);
  std::string output;
  REQUIRE(RunCommand({"/usr/bin/python3", tmp / "read.py", tmp / "out"}, &output) == 0);
  CHECK(output == "2 message,timestamp,user,track,time,latency,recommendation,experiments 60 " +
                      std::to_string(user_sum) + " float64 float64 T1 True\n");
}

TEST_CASE("logs ship refuses a second shipper and bad flags with clear errors",
          "[tools][ship][e2e]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  fs::create_directories(sealed);
  std::string output;
  {
    auto lock = DirLock::Acquire(sealed / ".botify-ship.lock", "shipper");
    REQUIRE(lock.ok());
    CHECK(RunCommand(ShipArgs(sealed, "file://" + (tmp / "o"), {}), &output) == 1);
    CHECK_THAT(output, Catch::Contains("another shipper"));
  }
  CHECK(RunCommand(ShipArgs(sealed, "hdfs://nn:8020/x", {}), &output) == 2);
  CHECK_THAT(output, Catch::Contains("scheme must be file, webhdfs or http"));
  CHECK(RunCommand(ShipArgs(tmp.path() / "missing", "file:///tmp/x", {}), &output) == 2);
  CHECK_THAT(output, Catch::Contains("missing: not a folder"));
  CHECK(RunCommand(ShipArgs(sealed, "file:///tmp/x", {"--delete", "--archive", "a"}), &output) !=
        0);
  CHECK_THAT(output, Catch::Contains("excludes"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "logs", "ship", "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("--gzip") && Catch::Contains("--watch"));
}

TEST_CASE(
    "logs ship to a full folder keeps the segments, leaves no temporary files, and "
    "ships them once there is room",
    "[tools][ship][disk]") {
  TempDir tmp;
  const fs::path sealed = tmp.path() / "sealed";
  const fs::path out = tmp.path() / "out";
  fs::create_directories(sealed);
  SmallDisk disk(out.string(), 4u << 20);
  if (!disk.ok()) {
    WARN("skipped: cannot mount a tmpfs here (needs root)");
    return;
  }
  WriteFile((out / "filler").string(), std::string((4u << 20) - (300u << 10), 'x'));
  const auto lines = WriteSealedSegments(sealed, 20, 400, "h", 3);  // ~1.4 MiB in all
  std::string output;
  CHECK(RunCommand(ShipArgs(sealed, "file://" + out.string(), {"--delete"}), &output) != 0);
  {
    INFO(output);
    CHECK_FALSE(Empty(sealed));  // what did not fit is still here
    CHECK_FALSE(HasTemporaryFiles(ReadTree(out)));
  }
  fs::remove(out / "filler");  // room again: the rest ships, and every line once
  REQUIRE(RunCommand(ShipArgs(sealed, "file://" + out.string(), {"--delete"}), &output) == 0);
  CHECK(Empty(sealed));
  CHECK(ShippedLines(ReadTree(out)) == Sorted(lines));
}
