// Runs `botify world gen` and reads its files with the ecosystem's readers (numpy, pandas),
// as the original notebooks and simulator do.
#include <catch2/catch.hpp>

#include <filesystem>
#include <vector>

#include "tests/test_support.h"

using botify::testing::ReadFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

TEST_CASE("world gen writes files numpy and pandas read", "[tools][world]") {
  TempDir dir;
  std::string out;
  // With or without drift: the original's readers see the same three files.
  const bool drift = GENERATE(false, true);
  std::vector<std::string> args = {BOTIFY_CLI_BINARY,
                                   "world",
                                   "gen",
                                   "--out",
                                   dir / "w",
                                   "--preset",
                                   "small",
                                   "--tracks",
                                   "300",
                                   "--artists",
                                   "40",
                                   "--users",
                                   "50",
                                   "--dim",
                                   "8"};
  if (drift) args.push_back("--drift");
  REQUIRE(RunCommand(args, &out) == 0);
  WriteFile(dir / "check.py", R"(
import sys, numpy, pandas
d = sys.argv[1]
emb = numpy.load(d + "/tracks.npy")
assert emb.shape == (300, 8) and emb.dtype == numpy.float32, (emb.shape, emb.dtype)
tracks = pandas.read_json(d + "/tracks.json", lines=True)
assert list(tracks.columns) == ["track", "artist", "title"], list(tracks.columns)
assert list(tracks.track) == list(range(300))
assert tracks.artist.nunique() == 40
users = pandas.read_json(d + "/users.json", lines=True)
assert list(users.columns) == ["user", "interests", "consume_bias", "consume_sharpness"]
assert len(users) == 50 and all(len(i) == 3 for i in users.interests)
assert users.consume_bias.between(0, 10).all() and users.consume_sharpness.between(0.5, 2).all()
print("python-ok")
)");
  // Debian's interpreter, which has python3-numpy and python3-pandas.
  INFO(out);
  REQUIRE(RunCommand({"/usr/bin/python3", dir / "check.py", dir / "w"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("python-ok"));
}

TEST_CASE("world gen rejects bad flags with a clear message", "[tools][world]") {
  TempDir dir;
  std::string out;
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "w", "--preset", "huge"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("unknown world preset 'huge'"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "w", "--preset", "small",
                    "--artists", "5000"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("artists must be in"));
}

TEST_CASE("world gen --drift adds drift.json and drift.npy and leaves the rest unchanged",
          "[tools][world]") {
  TempDir dir;
  std::string out;
  const std::vector<std::string> base = {BOTIFY_CLI_BINARY, "world",   "gen", "--preset",
                                         "small",           "--users", "40",  "--out"};
  auto gen = [&](const std::string& w, std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.push_back(w);
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCommand(args, &out);
  };
  REQUIRE(gen(dir / "plain", {}) == 0);
  REQUIRE(gen(dir / "drift", {"--drift", "--drift-release-share", "0.1"}) == 0);
  REQUIRE(gen(dir / "drift2", {"--drift", "--drift-release-share", "0.1"}) == 0);
  for (const char* f : {"tracks.json", "tracks.npy", "users.json"}) {
    CHECK(ReadFile(dir / "plain/" + f) == ReadFile(dir / "drift/" + f));
  }
  CHECK(!std::filesystem::exists(dir / "plain/drift.json"));
  CHECK(ReadFile(dir / "drift/drift.npy") == ReadFile(dir / "drift2/drift.npy"));
  CHECK_THAT(ReadFile(dir / "drift/drift.json"), Catch::Contains("\"release_share\":"));
  CHECK(gen(dir / "bad", {"--drift-trend-scale", "1"}) != 0);
  CHECK_THAT(out, Catch::Contains("--drift-trend-scale requires --drift"));
  // The simulator applies the drift only when asked, and says so when there is none.
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "plain", "--in-process", "random",
                    "--episodes", "20", "--drift", "--no-progress"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("has no drift.json"));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "drift", "--in-process", "oracle",
                      "--episodes", "50", "--days", "3", "--drift", "--no-progress"},
                     &out) == 0);
  CHECK_THAT(out, Catch::Contains("| 3 |"));
}
