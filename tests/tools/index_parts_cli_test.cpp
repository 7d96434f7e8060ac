// `botify index build --key-ranges K [--range I]` and `botify index load --db --sst` of the K
// part files: one generation serving the lists a single-file build serves.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

int Botify(std::vector<std::string> args, std::string* output) {
  args.insert(args.begin(), BOTIFY_CLI_BINARY);
  return RunCommand(args, output);
}

std::vector<std::vector<TrackId>> ListsOf(const std::string& db, int users) {
  auto store = storage::Store::Open({db});
  REQUIRE(store.ok());
  auto index = (*store)->OpenIndex("ub");
  REQUIRE(index.ok());
  std::vector<std::vector<TrackId>> out(users);
  for (int u = 0; u < users; ++u) (*index)->Get(static_cast<std::uint32_t>(u * 7919), &out[u]);
  index->reset();
  return out;
}

}  // namespace

TEST_CASE("index build --key-ranges writes parts that index load --db takes as one generation",
          "[tools][index][shard]") {
  TempDir dir;
  std::string tracks, a, b, output;
  for (int t = 0; t < 30; ++t) {
    tracks += "{\"track\": " + std::to_string(t) + ", \"artist\": \"A\", \"title\": \"T\"}\n";
  }
  const int users = 200;
  for (int u = 0; u < users; ++u) {
    (u % 2 ? a : b) += "{\"user\": " + std::to_string(u * 7919) + ", \"tracks\": [" +
                       std::to_string(u % 30) + ", " + std::to_string((u + 1) % 30) + "]}\n";
  }
  WriteFile(dir / "tracks.json", tracks);
  WriteFile(dir / "a.jsonl", a);
  WriteFile(dir / "b.jsonl", b);
  REQUIRE(Botify({"index", "build", "--recs", dir / "a.jsonl", "--recs", dir / "b.jsonl",
                  "--tracks", dir / "tracks.json", "--out", dir / "one.sst"},
                 &output) == 0);
  REQUIRE(Botify({"index", "load", "--db", dir / "db1", "--name", "ub", "--sst", dir / "one.sst",
                  "--tracks", dir / "tracks.json"},
                 &output) == 0);
  // Part by part, as cluster tasks build them.
  std::vector<std::string> load = {"index",  "load", "--db",     dir / "db2",
                                   "--name", "ub",   "--tracks", dir / "tracks.json"};
  for (int i = 0; i < 3; ++i) {
    REQUIRE(Botify({"index", "build", "--recs", dir / "a.jsonl", "--recs", dir / "b.jsonl",
                    "--tracks", dir / "tracks.json", "--out", dir / "ub", "--key-ranges", "3",
                    "--range", std::to_string(i)},
                   &output) == 0);
    const std::string part = dir / ("ub." + std::to_string(i) + "-of-3.sst");
    CHECK_THAT(output, Catch::Contains("wrote " + part));
    load.insert(load.end(), {"--sst", part});
  }
  REQUIRE(Botify(load, &output) == 0);
  INFO(output);
  CHECK_THAT(output, Catch::Contains("| ub |"));
  CHECK(ListsOf(dir / "db2", users) == ListsOf(dir / "db1", users));
  CHECK(ListsOf(dir / "db2", users)[5] == std::vector<TrackId>{5, 6});

  // An incomplete set is refused whole; several files go to a --db only.
  CHECK(
      Botify({"index", "load", "--db", dir / "db3", "--name", "ub", "--tracks", dir / "tracks.json",
              "--sst", dir / "ub.0-of-3.sst", "--sst", dir / "ub.2-of-3.sst"},
             &output) == 2);
  CHECK_THAT(output, Catch::Contains("part 1 of 3 is missing"));
  CHECK(Botify({"index", "load", "--server", "127.0.0.1:1", "--name", "ub", "--sst",
                dir / "ub.0-of-3.sst", "--sst", dir / "ub.1-of-3.sst"},
               &output) != 0);
  CHECK_THAT(
      output,
      Catch::Contains("load into a stopped server's --db, or into running servers with --import"));
  CHECK(Botify({"index", "build", "--recs", dir / "a.jsonl", "--tracks", dir / "tracks.json",
                "--out", dir / "x", "--range", "1"},
               &output) != 0);
  CHECK_THAT(output, Catch::Contains("needs --key-ranges K above 1"));
}
