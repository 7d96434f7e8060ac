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

namespace {

// A small real-looking catalog: 120 tracks by 50 artists, 40 of them with a single track, lines
// in shuffled id order and with fields botify does not read (as the 2026 course's have).
std::string SmallCatalog() {
  std::string text;
  for (int i = 0; i < 120; ++i) {
    const int t = (i * 37) % 120;
    const std::string artist =
        t < 80 ? "Band " + std::to_string(t % 10) : "Solo " + std::to_string(t);
    text += "{\"track\": " + std::to_string(t) + ", \"artist\": \"" + artist +
            "\", \"title\": \"Song " + std::to_string(t) + "\", \"year\": 1999}\n";
  }
  return text;
}

}  // namespace

TEST_CASE("world gen --catalog builds a world over a real catalog and keeps its files",
          "[tools][world]") {
  TempDir dir;
  std::string out;
  WriteFile(dir / "tracks.json", SmallCatalog());
  WriteFile(dir / "users.json",
            "{\"user\": 5, \"interests\": [3, 4], \"consume_bias\": 2.5, \"openness\": 0.4}\n"
            "{\"user\": 9, \"interests\": [119]}\n");
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json",
                      "--users", dir / "users.json", "--genres", "5", "--out", dir / "w"},
                     &out) == 0);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("120 tracks, 50 artists"));
  // Kept line for line, extra fields included; only the embeddings are new.
  CHECK(ReadFile(dir / "w/tracks.json") == SmallCatalog());
  CHECK(ReadFile(dir / "w/users.json") == ReadFile(dir / "users.json"));
  WriteFile(dir / "check.py", R"(
import sys, numpy
emb = numpy.load(sys.argv[1] + "/tracks.npy")
assert emb.shape == (120, 32) and emb.dtype == numpy.float32, (emb.shape, emb.dtype)
print("python-ok")
)");
  REQUIRE(RunCommand({"/usr/bin/python3", dir / "check.py", dir / "w"}, &out) == 0);
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "check", dir / "w"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("openness: set by 1 users, ignored"));
  // In place (the course's files in one folder), and without users (generated).
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "w/tracks.json",
                      "--users", dir / "w/users.json", "--genres", "5", "--out", dir / "w"},
                     &out) == 0);
  CHECK(ReadFile(dir / "w/tracks.json") == SmallCatalog());
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json",
                      "--users", "40", "--genres", "5", "--out", dir / "g"},
                     &out) == 0);
  CHECK(ReadFile(dir / "g/tracks.npy") == ReadFile(dir / "w/tracks.npy"));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "g", "--in-process", "oracle",
                      "--episodes", "30", "--no-progress"},
                     &out) == 0);
}

TEST_CASE("world gen --catalog refuses what would make a broken world", "[tools][world]") {
  TempDir dir;
  std::string out;
  WriteFile(dir / "tracks.json", SmallCatalog());
  WriteFile(dir / "users.json", "{\"user\": 1, \"interests\": [120]}\n");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json", "--users",
                    dir / "users.json", "--out", dir / "w"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("users.json:1") && Catch::Contains("interests[0]"));
  CHECK(RunCommand(
            {BOTIFY_CLI_BINARY, "world", "gen", "--users", dir / "users.json", "--out", dir / "w"},
            &out) != 0);
  CHECK_THAT(out, Catch::Contains("--users FILE needs --catalog"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json", "--tracks",
                    "10", "--out", dir / "w"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("excludes"));
  std::filesystem::create_directories(dir / "w2");
  WriteFile(dir / "w2/embeddings.npy", "x");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json", "--out",
                    dir / "w2"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("already holds embeddings.npy"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json", "--genres",
                    "51", "--out", dir / "w3"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("the catalog's artists (50)"));
}

TEST_CASE("world check exits 2 on a bad world and names the file and line", "[tools][world]") {
  TempDir dir;
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "w", "--preset", "small",
                      "--tracks", "100", "--artists", "10", "--genres", "3", "--users", "20"},
                     &out) == 0);
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "check", dir / "w"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("100 tracks by 10 artists") &&
                      Catch::Contains("100 x 32, dtype '<f4', C order") &&
                      Catch::Contains("20 users") && Catch::Contains("3: 20 (100.0%)") &&
                      Catch::Contains("is a good world"));
  std::string users = ReadFile(dir / "w/users.json");
  users.insert(users.find('\n') + 1, "{\"user\": 99, \"interests\": [100]}\n");
  WriteFile(dir / "w/users.json", users);
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "check", dir / "w"}, &out) == 2);
  CHECK_THAT(out, Catch::Contains(dir / "w/users.json:2: field 'interests[0]'") &&
                      Catch::Contains("is a bad world: 1 problem"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "world", "check", dir / "missing"}, &out) == 2);
  CHECK_THAT(out, Catch::Contains("is not a folder"));
  // The simulator refuses the same world with the same reason.
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "sim", "--world", dir / "w", "--in-process", "random",
                    "--episodes", "5", "--no-progress"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("users.json:2"));
}
