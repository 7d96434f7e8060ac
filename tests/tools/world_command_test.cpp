// Runs `botify world gen` and reads its files with the ecosystem's readers (numpy, pandas),
// as the original notebooks and simulator do.
#include <catch2/catch.hpp>

#include "tests/test_support.h"

using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

TEST_CASE("world gen writes files numpy and pandas read", "[tools][world]") {
  TempDir dir;
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "w", "--preset", "small",
                      "--tracks", "300", "--artists", "40", "--users", "50", "--dim", "8"},
                     &out) == 0);
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
