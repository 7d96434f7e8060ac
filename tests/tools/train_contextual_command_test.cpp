#include <fmt/core.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/random.h"
#include "engine/catalog/catalog.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/eventlog/event.h"
#include "tests/test_support.h"
#include "tests/tools/session_log_support.h"

using namespace botify;
using namespace botify::testing;

TEST_CASE("train contextual on a small world writes lists that index build accepts",
          "[tools][contextual]") {
  TempDir dir;
  std::string output;
  const auto catalog = std::make_optional(SmallWorldWithLogs(dir));
  const std::size_t tracks = catalog->size();

  REQUIRE(
      Botify({"train", "contextual", "--logs", dir / "logs", "--tracks", dir / "world/tracks.json",
              "--out", dir / "ctx.jsonl", "--diverse-out", dir / "ctxd.jsonl", "--top-k", "20",
              "--dim", "8", "--epochs", "3", "--threads", "2"},
             &output) == 0);
  INFO(output);
  CHECK_THAT(output, Catch::Contains("3000 sessions") && Catch::Contains("epoch 3/3") &&
                         Catch::Contains(fmt::format("wrote {} contextual lists", tracks)));

  const auto plain = ReadRecommendationsFile(dir / "ctx.jsonl");
  const auto diverse = ReadRecommendationsFile(dir / "ctxd.jsonl");
  REQUIRE(plain.size() == tracks);
  REQUIRE(diverse.size() == tracks);
  std::size_t liked = 0;
  for (std::size_t i = 0; i < tracks; ++i) {
    CHECK(plain[i].key == catalog::ListKey::kTrack);
    CHECK(plain[i].id == i);
    REQUIRE(plain[i].tracks.size() == 20);
    REQUIRE(diverse[i].tracks.size() == 20);
    std::set<TrackId> unique(plain[i].tracks.begin(), plain[i].tracks.end());
    CHECK(unique.size() == 20);
    CHECK(unique.count(static_cast<TrackId>(i)) == 0);
    std::set<ArtistId> artists = {catalog->artist_of(static_cast<TrackId>(i))};
    for (TrackId t : diverse[i].tracks) CHECK(artists.insert(catalog->artist_of(t)).second);
    for (TrackId t : plain[i].tracks) {
      liked += catalog->artist_of(t) % 2 == catalog->artist_of(static_cast<TrackId>(i)) % 2;
    }
  }
  // Random lists would have about half of their tracks liked.
  CHECK(liked > tracks * 20 * 9 / 10);

  for (const char* name : {"ctx", "ctxd"}) {
    CHECK(Botify({"index", "build", "--recs", dir / (std::string(name) + ".jsonl"), "--tracks",
                  dir / "world/tracks.json", "--out", dir / (std::string(name) + ".sst")},
                 &output) == 0);
    CHECK(std::filesystem::file_size(dir / (std::string(name) + ".sst")) > 0);
  }
}

TEST_CASE(
    "train contextual --ann-clusters: every cluster probed gives the exact files; fewer "
    "bound the candidates; --ann-index hnsw",
    "[tools][contextual][bounded]") {
  TempDir dir;
  std::string output;
  const auto catalog = std::make_optional(SmallWorldWithLogs(dir));
  auto train = [&](const std::string& name, const std::vector<std::string>& extra) {
    return Botify(TrainArgs(dir, "contextual", name,
                            {"--diverse-out", dir / (name + "d.jsonl"), "--top-k", "20", "--dim",
                             "8", "--epochs", "2"},
                            extra),
                  &output);
  };
  REQUIRE(train("exact", {}) == 0);
  CHECK_THAT(output, Catch::Contains("per track (exact)"));
  REQUIRE(train("all", {"--ann-clusters", "12", "--ann-probe", "12"}) == 0);
  CHECK_THAT(output,
             Catch::Contains("(ivf: faiss k-means cells, scored on BLAS (nlist 12, nprobe 12))"));
  // Every cell searched, scored with the exact ranking's products: the exact files.
  CHECK(ReadFile(dir / "all.jsonl") == ReadFile(dir / "exact.jsonl"));
  CHECK(ReadFile(dir / "alld.jsonl") == ReadFile(dir / "exactd.jsonl"));
  REQUIRE(train("few", {"--ann-clusters", "12", "--ann-probe", "3"}) == 0);
  auto few = ReadRecommendationsFile(dir / "few.jsonl");
  REQUIRE(few.size() == catalog->size());
  for (const auto& list : few) CHECK(list.tracks.size() == 20);
  REQUIRE(train("graph", {"--ann-index", "hnsw", "--ann-ef-search", "50"}) == 0);
  CHECK_THAT(output,
             Catch::Contains(
                 "hnsw: faiss HNSW-Flat, inner product (M 32, efConstruction 40, efSearch 50)"));
  few = ReadRecommendationsFile(dir / "graph.jsonl");
  REQUIRE(few.size() == catalog->size());
  for (const auto& list : few) CHECK(list.tracks.size() == 20);

  CHECK(train("bad", {"--ann-clusters", "4", "--ann-probe", "5"}) == 2);
  CHECK_THAT(output, Catch::Contains("ivf nprobe must be in [1, nlist = 4], got 5") &&
                         Catch::Contains("--ann-clusters = nlist, --ann-probe = nprobe"));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.jsonl"));
  CHECK(Botify({"train", "contextual", "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("--ann-clusters") && Catch::Contains("--ann-probe") &&
                         Catch::Contains("--ann-index") && Catch::Contains("--ann-ef-search"));
}

TEST_CASE("train contextual reports bad input with where and what", "[tools][contextual]") {
  TempDir dir;
  std::string output;
  CHECK(Botify({"train", "contextual", "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("--diverse-out") && Catch::Contains("--negatives"));
  CHECK(Botify({"train", "contextual", "--logs", dir / "missing", "-o", dir / "o.jsonl"},
               &output) != 0);
  CHECK_THAT(output, Catch::Contains("does not exist"));

  WriteFile(dir / "bad.jsonl", EventLine(eventlog::EventKind::kNext, 1, 1, 3, 1.0) +
                                   "{\"message\": \"next\"}\n" +
                                   EventLine(eventlog::EventKind::kLast, 2, 1, 4, 0.5));
  CHECK(Botify({"train", "contextual", "--logs", dir / "bad.jsonl", "-o", dir / "o.jsonl"},
               &output) == 0);
  CHECK_THAT(output, Catch::Contains("bad.jsonl:2") && Catch::Contains("1 bad lines skipped"));
  const auto lists = ReadRecommendationsFile(dir / "o.jsonl");
  REQUIRE(lists.size() == 1);  // only track 4 was a target; track 4 cannot follow itself
  CHECK(lists[0].id == 3);
  CHECK(lists[0].tracks == std::vector<TrackId>{4});
  CHECK(Botify(
            {"train", "contextual", "--logs", dir / "bad.jsonl", "-o", dir / "o.jsonl", "--strict"},
            &output) != 0);
  CHECK_THAT(output, Catch::Contains("bad.jsonl:2"));
  CHECK(Botify({"train", "contextual", "--logs", dir / "bad.jsonl"}, &output) != 0);
  CHECK_THAT(output, Catch::Contains("--output"));
  CHECK(
      Botify({"train", "contextual", "--logs", dir / "bad.jsonl", "--diverse-out", dir / "d.jsonl"},
             &output) != 0);
  CHECK_THAT(output, Catch::Contains("--tracks"));
  CHECK(Botify({"train", "contextual", "--logs", dir / "bad.jsonl", "-o", dir / "o.jsonl", "--dim",
                "0"},
               &output) != 0);
  CHECK_THAT(output, Catch::Contains("dim"));
}

TEST_CASE("train contextual --anchors-shard I/N: the N files together are the unsharded files",
          "[tools][contextual][shard]") {
  TempDir dir;
  std::string output;
  SmallWorldWithLogs(dir);
  auto train = [&](const std::string& name, const std::vector<std::string>& extra) {
    return Botify(TrainArgs(dir, "contextual", name,
                            {"--diverse-out", dir / (name + "d.jsonl"), "--top-k", "10", "--dim",
                             "8", "--epochs", "1", "-q"},
                            extra),
                  &output);
  };
  // The exact ranking and bounded ones (every shard builds the same index over the targets).
  for (const std::vector<std::string>& bound :
       {std::vector<std::string>{},
        std::vector<std::string>{"--ann-clusters", "8", "--ann-probe", "2"},
        std::vector<std::string>{"--ann-index", "hnsw", "--ann-hnsw-m", "8"}}) {
    REQUIRE(train("whole", bound) == 0);
    for (int n : {1, 2, 3, 7}) {
      INFO(n << " shards " << bound.size());
      std::vector<std::string> plain, diverse;
      for (int i = 0; i < n; ++i) {
        const std::string name = "part-" + std::to_string(i);
        std::vector<std::string> extra = bound;
        extra.insert(extra.end(), {"--anchors-shard", std::to_string(i) + "/" + std::to_string(n)});
        REQUIRE(train(name, extra) == 0);
        plain.push_back(dir / (name + ".jsonl"));
        diverse.push_back(dir / (name + "d.jsonl"));
      }
      CHECK(botify::testing::MergeRecommendationParts(plain) == ReadFile(dir / "whole.jsonl"));
      CHECK(botify::testing::MergeRecommendationParts(diverse) == ReadFile(dir / "wholed.jsonl"));
    }
  }
  CHECK(train("bad", {"--anchors-shard", "1/0"}) != 0);
  CHECK_THAT(output, Catch::Contains("--anchors-shard: shard '1/0'"));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.jsonl"));
}
