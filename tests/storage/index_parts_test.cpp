// Key-range index parts (storage/index_parts.h): BuildIndexParts over several input files
// and Store::IngestIndexParts of the set as one generation.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/index_builder.h"
#include "storage/index_parts.h"
#include "storage/store.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::storage;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

catalog::Catalog MakeCatalog(int n = 40) {
  std::vector<catalog::TrackRecord> records;
  for (int t = 0; t < n; ++t) records.push_back({static_cast<TrackId>(t), "a", "t"});
  return std::move(*catalog::Catalog::FromRecords(std::move(records)));
}

// Users 0..users-1 (ids spread over the 32-bit space) split over `files` files.
std::vector<std::string> WriteShardedRecs(const TempDir& dir, int users, int files) {
  std::vector<std::string> texts(files), paths;
  for (int u = 0; u < users; ++u) {
    const std::uint64_t id = static_cast<std::uint64_t>(u) * 40503u % 4294967291u;
    texts[u % files] += "{\"user\": " + std::to_string(id) + ", \"tracks\": [" +
                        std::to_string(u % 40) + ", " + std::to_string((u + 7) % 40) + "]}\n";
  }
  for (int f = 0; f < files; ++f) {
    paths.push_back(dir / ("recs-" + std::to_string(f) + ".jsonl"));
    WriteFile(paths.back(), texts[f]);
  }
  return paths;
}

// Every list of the current generation of `name`, through the serving read path.
std::vector<std::pair<std::uint32_t, std::vector<TrackId>>> Lists(Store& store,
                                                                  const std::string& name,
                                                                  int users) {
  auto index = store.OpenIndex(name);
  REQUIRE(index.ok());
  std::vector<std::pair<std::uint32_t, std::vector<TrackId>>> out;
  for (int u = 0; u < users; ++u) {
    const auto id =
        static_cast<std::uint32_t>(static_cast<std::uint64_t>(u) * 40503u % 4294967291u);
    std::vector<TrackId> list;
    (*index)->Get(id, &list);
    out.emplace_back(id, list);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "index parts: K key-range SSTs from several files load as one generation equal to "
    "the single file's",
    "[storage][index_parts]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  const int users = 300;
  const auto recs = WriteShardedRecs(dir, users, 3);
  auto store = Store::Open({dir / "db"});
  REQUIRE(store.ok());
  IndexBuildReport single;
  REQUIRE(BuildIndexSst(recs, catalog, dir / "single.sst", {}, &single).ok());
  auto meta = (*store)->IngestIndex("one", dir / "single.sst", catalog);
  REQUIRE(meta.ok());
  const auto reference = Lists(**store, "one", users);
  for (std::uint32_t k : {1u, 2u, 3u, 7u}) {
    INFO(k << " key ranges");
    IndexBuildOptions options;
    options.key_ranges = k;
    std::vector<IndexBuildReport> reports;
    REQUIRE(BuildIndexParts(recs, catalog, dir / ("parts" + std::to_string(k)), options, &reports)
                .ok());
    REQUIRE(reports.size() == k);
    std::vector<std::string> paths;
    std::uint64_t lists = 0;
    for (std::uint32_t i = 0; i < k; ++i) {
      paths.push_back(IndexPartPath(dir / ("parts" + std::to_string(k)), i, k));
      REQUIRE(std::filesystem::exists(paths.back()));
      CHECK(reports[i].meta.lists > 0);
      lists += reports[i].meta.lists;
    }
    CHECK(lists == static_cast<std::uint64_t>(users));
    std::reverse(paths.begin(), paths.end());  // any order
    const std::string name = "k" + std::to_string(k);
    auto loaded = (*store)->IngestIndexParts(name, paths, catalog);
    REQUIRE(loaded.ok());
    CHECK(loaded->lists == static_cast<std::uint64_t>(users));
    CHECK(loaded->tracks == single.meta.tracks);
    CHECK(loaded->parts == k);
    CHECK(loaded->generation == 1);
    CHECK(Lists(**store, name, users) == reference);
    // The generation reads like a single-file one: its metadata record and every list.
    CHECK((*store)->VerifyIndex(name, catalog).ok());
  }
  // Survives a reopen.
  store->reset();
  store = Store::Open({dir / "db"});
  REQUIRE(store.ok());
  CHECK(Lists(**store, "k7", users) == reference);
  CHECK((*store)->VerifyIndex("k7", catalog).ok());
}

TEST_CASE("index parts: an incomplete, mixed or damaged set is refused whole",
          "[storage][index_parts]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  const auto recs = WriteShardedRecs(dir, 120, 2);
  auto store = Store::Open({dir / "db"});
  REQUIRE(store.ok());
  IndexBuildOptions options;
  options.key_ranges = 3;
  std::vector<IndexBuildReport> reports;
  REQUIRE(BuildIndexParts(recs, catalog, dir / "a", options, &reports).ok());
  // One range only (a cluster task): the same file as the full build's part.
  options.only_range = 1;
  REQUIRE(BuildIndexParts(recs, catalog, dir / "b", options, &reports).ok());
  REQUIRE(reports.size() == 1);
  CHECK(botify::testing::ReadFile(IndexPartPath(dir / "b", 1, 3)).size() ==
        botify::testing::ReadFile(IndexPartPath(dir / "a", 1, 3)).size());
  CHECK_FALSE(std::filesystem::exists(IndexPartPath(dir / "b", 0, 3)));

  auto missing = (*store)->IngestIndexParts(
      "x", {IndexPartPath(dir / "a", 0, 3), IndexPartPath(dir / "a", 2, 3)}, catalog);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("part 1 of 3 is missing"));

  auto twice =
      (*store)->IngestIndexParts("x",
                                 {IndexPartPath(dir / "a", 0, 3), IndexPartPath(dir / "a", 1, 3),
                                  IndexPartPath(dir / "b", 1, 3), IndexPartPath(dir / "a", 2, 3)},
                                 catalog);
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.status().message(), Catch::Contains("are both part 1 of 3"));

  // A part of another build (other inputs) does not mix in.
  WriteFile(recs[1], "{\"user\": 5, \"tracks\": [1]}\n");
  options.only_range.reset();
  options.key_ranges = 3;
  REQUIRE(BuildIndexParts(recs, catalog, dir / "c", options, &reports).ok());
  auto mixed =
      (*store)->IngestIndexParts("x",
                                 {IndexPartPath(dir / "a", 0, 3), IndexPartPath(dir / "c", 1, 3),
                                  IndexPartPath(dir / "a", 2, 3)},
                                 catalog);
  REQUIRE_FALSE(mixed.ok());
  CHECK_THAT(mixed.status().message(), Catch::Contains("parts of different builds"));

  // A single-file index is not a part.
  REQUIRE(BuildIndexSst(recs, catalog, dir / "single.sst", {}, nullptr).ok());
  auto single = (*store)->IngestIndexParts("x", {dir / "single.sst"}, catalog);
  REQUIRE_FALSE(single.ok());
  CHECK_THAT(single.status().message(), Catch::Contains("not a key-range part of an index"));

  // A track outside the catalog in one part: the set is refused, nothing is loaded.
  auto small = MakeCatalog(3);
  auto bad =
      (*store)->IngestIndexParts("x",
                                 {IndexPartPath(dir / "a", 0, 3), IndexPartPath(dir / "a", 1, 3),
                                  IndexPartPath(dir / "a", 2, 3)},
                                 small);
  REQUIRE_FALSE(bad.ok());
  CHECK((*store)->OpenIndex("x").status().code() == StatusCode::kNotFound);
  for (int i = 0; i < 3; ++i) CHECK(std::filesystem::exists(IndexPartPath(dir / "a", i, 3)));

  // More ranges than keys.
  options.key_ranges = 500;
  CHECK_THAT(BuildIndexParts(recs, catalog, dir / "d", options, &reports).message(),
             Catch::Contains("500 key ranges for"));
  options.key_ranges = 3;
  options.only_range = 3;
  CHECK_THAT(options.Validate().message(), Catch::Contains("key range 3 is not below"));
}

TEST_CASE("index parts carry no session model: key ranges with one are refused",
          "[storage][index_parts]") {
  TempDir dir;
  IndexBuildOptions options;
  options.key_ranges = 2;
  options.session_model_path = dir / "session.model";
  const Status status = options.Validate();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("single-file index"));
  std::vector<IndexBuildReport> reports;
  CHECK_FALSE(
      BuildIndexParts(WriteShardedRecs(dir, 20, 1), MakeCatalog(), dir / "ix", options, &reports)
          .ok());
  CHECK_FALSE(std::filesystem::exists(IndexPartPath(dir / "ix", 0, 2)));
  options.key_ranges = 1;
  CHECK(options.Validate().ok());
}
