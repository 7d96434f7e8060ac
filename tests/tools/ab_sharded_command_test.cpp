// `botify ab --shard I/N --partial OUT` then `botify ab --merge PARTIAL...` prints the very
// report of the single-machine `botify ab`, byte for byte, for N = 1, 2, 3 and 7, in every
// format, with and without the decision (a pre-period, --sequential, --correction).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "tests/tools/ab_cli_support.h"

using namespace botify::testing;

namespace {

const std::string kBotify = BOTIFY_CLI_BINARY;

// stdout of `botify ab ARGS` (stderr to dir/err), which must exit 0.
std::string Run(const TempDir& dir, const std::string& args) {
  int code = 0;
  const std::string out = Stdout(kBotify + " ab " + args, dir / "err", &code);
  INFO(args << "\n" << ReadFile(dir / "err"));
  REQUIRE(code == 0);
  return out;
}

// stderr of `botify ab ARGS`, which must fail.
std::string Fails(const TempDir& dir, const std::string& args) {
  int code = 0;
  Stdout(kBotify + " ab " + args, dir / "err", &code);
  CHECK(code != 0);
  return ReadFile(dir / "err");
}

// Runs the N shards of `read_flags` and returns the --merge arguments.
std::string Shards(const TempDir& dir, std::uint32_t n, const std::string& read_flags) {
  std::string merge = "--merge";
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string partial = dir / ("part-" + std::to_string(i) + "-of-" + std::to_string(n));
    Run(dir, read_flags + " --shard " + std::to_string(i) + "/" + std::to_string(n) +
                 " --partial " + partial);
    merge += " " + partial;
  }
  return merge;
}

}  // namespace

TEST_CASE("botify ab --merge of 1, 2, 3 and 7 shards prints the single-machine report",
          "[tools][ab][shard]") {
  TempDir dir;
  GenerateAbLog(dir / "logs",
                "--rows 40000 --users 1500 --weights 50,50,50 --effect 0.05 --user-spread 0.6 "
                "--seed 21 --pre-out " +
                    dir / "pre");
  const std::string read = "--logs " + dir / "logs" + " --experiment AB";
  const std::string pre = " --pre-logs " + dir / "pre";
  // The report's flags, each run single-machine and merged.
  const std::vector<std::string> seminar = {"", "--format json", "--format csv",
                                            "--format markdown --alpha 0.1 --split 3"};
  const std::vector<std::string> decision = {"", "--format json --sequential",
                                             "--format markdown --correction bh --primary time",
                                             "--cuped-theta per-arm --srm-threshold 0.01"};
  for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
    INFO(n << " shards");
    const std::string merge = Shards(dir, n, read);
    for (const std::string& flags : seminar) {
      INFO(flags);
      CHECK(Run(dir, merge + " " + flags) == Run(dir, read + " " + flags));
    }
    const std::string merge_pre = Shards(dir, n, read + pre);
    for (const std::string& flags : decision) {
      INFO("with the pre-period: " << flags);
      CHECK(Run(dir, merge_pre + " " + flags) == Run(dir, read + pre + " " + flags));
    }
    // The HTML report too, charts of sessions by index included.
    Run(dir, read + pre + " --html " + dir / "single.html");
    Run(dir, merge_pre + " --html " + dir / "merged.html");
    CHECK(ReadFile(dir / "merged.html") == ReadFile(dir / "single.html"));
  }
}

TEST_CASE("botify ab refuses sharded flags in the wrong place and incomplete merges",
          "[tools][ab][shard]") {
  TempDir dir;
  GenerateAbLog(dir / "logs", "--rows 3000 --users 200 --seed 3");
  const std::string read = "--logs " + dir / "logs" + " --experiment AB";
  const std::string merge = Shards(dir, 3, read);
  CHECK_THAT(Fails(dir, read + " --shard 0/3 --partial " + dir / "x" + " --format json"),
             Catch::Contains("--format: it shapes the report: give it to `botify ab --merge"));
  CHECK_THAT(Fails(dir, merge + " --logs " + dir / "logs"),
             Catch::Contains("--logs: the shards read the logs"));
  CHECK_THAT(Fails(dir, read + " --shard 0/3"),
             Catch::Contains("--shard I/N and --partial OUT go together"));
  CHECK_THAT(Fails(dir, read + " --shard 3/3 --partial " + dir / "x"),
             Catch::Contains("--shard: shard '3/3': shard index 3 is not below"));
  CHECK_THAT(Fails(dir, "--merge " + dir / "part-0-of-3 " + dir / "part-2-of-3"),
             Catch::Contains("shard 1/3 is missing"));
  CHECK_THAT(Fails(dir, merge + " --experiment OTHER"),
             Catch::Contains("--experiment OTHER: the partials are of experiment AB"));
  CHECK_THAT(Fails(dir, "--merge " + dir / "logs"), Catch::Contains("--merge"));
  CHECK_THAT(Fails(dir, "--experiment AB"), Catch::Contains("--logs: is required"));
}
