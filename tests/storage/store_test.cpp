#include "storage/store.h"

#include <rocksdb/db.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "storage/codec.h"
#include "storage/index_builder.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::storage;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

catalog::Catalog MakeCatalog(int n = 50) {
  std::vector<catalog::TrackRecord> records;
  for (int t = 0; t < n; ++t) {
    records.push_back({static_cast<TrackId>(t), "artist " + std::to_string(t % 5),
                       "title \"" + std::to_string(t) + "\""});
  }
  return std::move(*catalog::Catalog::FromRecords(std::move(records)));
}

std::unique_ptr<Store> OpenStore(const std::string& path) {
  auto store = Store::Open({path});
  REQUIRE(store.ok());
  return std::move(*store);
}

// Builds an SST from `text` and ingests it as `name`; returns the new generation.
std::uint64_t Load(Store& store, const TempDir& dir, const catalog::Catalog& catalog,
                   const std::string& name, const std::string& text) {
  WriteFile(dir / "recs.jsonl", text);
  IndexBuildReport report;
  REQUIRE(BuildIndexSst(dir / "recs.jsonl", catalog, dir / "index.sst", {}, &report).ok());
  auto meta = store.IngestIndex(name, dir / "index.sst", catalog);
  REQUIRE(meta.ok());
  return meta->generation;
}

std::vector<TrackId> ListOf(Store& store, const std::string& name, std::uint32_t key) {
  auto index = store.OpenIndex(name);
  REQUIRE(index.ok());
  std::vector<TrackId> out;
  (*index)->Get(key, &out);
  return out;
}

}  // namespace

TEST_CASE("codec keys sort numerically and lists round-trip", "[storage][codec]") {
  CHECK(EncodeIdKey(1) < EncodeIdKey(256));
  CHECK(EncodeIdKey(255) < EncodeIdKey(65536));
  CHECK(*DecodeIdKey(EncodeIdKey(123456789)) == 123456789u);
  std::vector<TrackId> tracks{1, 70000, 3}, back;
  REQUIRE(DecodeTrackList(EncodeTrackList(tracks), &back).ok());
  CHECK(back == tracks);
  CHECK_FALSE(DecodeTrackList("abc", &back).ok());
  std::string artist, title;
  REQUIRE(DecodeTrackRecord(EncodeTrackRecord("a", "b c"), &artist, &title).ok());
  CHECK(artist == "a");
  CHECK(title == "b c");
}

TEST_CASE("the catalog survives a reopen", "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  {
    auto store = OpenStore(dir / "db");
    CHECK(store->LoadCatalog().status().code() == StatusCode::kNotFound);
    REQUIRE(store->PutCatalog(catalog).ok());
  }
  auto store = OpenStore(dir / "db");
  auto loaded = store->LoadCatalog();
  REQUIRE(loaded.ok());
  CHECK(loaded->size() == catalog.size());
  CHECK(loaded->title(7) == "title \"7\"");
  CHECK(loaded->artist_name(7) == "artist 2");
}

TEST_CASE("ingested generations replace each other and persist", "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  auto store = OpenStore(dir / "db");
  CHECK(Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [5, 6]}\n") == 1);
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{5, 6});
  CHECK(Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [7]}\n") == 2);
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{7});
  store->CollectGarbage();
  store.reset();
  store = OpenStore(dir / "db");
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{7});
  auto indexes = *store->ListIndexes();
  REQUIRE(indexes.size() == 1);
  CHECK(indexes[0].generation == 2);
  CHECK(indexes[0].lists == 1);
}

TEST_CASE("a generation ingested while open reads through the shared block cache",
          "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  auto store = OpenStore(dir / "db");
  const std::uint64_t before = store->BlockCacheBytes();
  Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [5, 6]}\n");
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{5, 6});
  CHECK(store->BlockCacheBytes() > before);
}

TEST_CASE("an old generation stays readable while a reader holds it", "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  auto store = OpenStore(dir / "db");
  Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [5]}\n");
  auto old = store->OpenIndex("ub");
  REQUIRE(old.ok());
  Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [9]}\n");
  store->CollectGarbage();  // must not drop what `old` reads
  std::vector<TrackId> out;
  REQUIRE((*old)->Get(1, &out));
  CHECK(out == std::vector<TrackId>{5});
  old = Status::NotFound("released");
  store->CollectGarbage();
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{9});
}

TEST_CASE("a generation whose manifest write never happened is dropped on reopen",
          "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  {
    auto store = OpenStore(dir / "db");
    Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [5]}\n");
  }
  {
    // What a crash between creating generation 2's column family and the manifest
    // switch leaves behind: a column family the manifest does not name.
    rocksdb::DB* db = nullptr;
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies({}, dir / "db", &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    REQUIRE(rocksdb::DB::Open({}, dir / "db", descriptors, &handles, &db).ok());
    rocksdb::ColumnFamilyHandle* orphan = nullptr;
    REQUIRE(db->CreateColumnFamily({}, "idx.ub.2", &orphan).ok());
    REQUIRE(db->Put({}, orphan, "x", "y").ok());
    handles.push_back(orphan);
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  {
    auto store = OpenStore(dir / "db");
    CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{5});
    // The next load reuses generation number 2 cleanly.
    CHECK(Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [6]}\n") == 2);
  }
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies({}, dir / "db", &names).ok());
  CHECK(std::count_if(names.begin(), names.end(),
                      [](const std::string& n) { return n.rfind("idx.", 0) == 0; }) == 1);
}

TEST_CASE("index build rejects bad files with line and reason", "[storage][index_builder]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog(50);
  auto build = [&](const std::string& text, IndexBuildOptions options = {}) {
    WriteFile(dir / "recs.jsonl", text);
    IndexBuildReport report;
    Status s = BuildIndexSst(dir / "recs.jsonl", catalog, dir / "out.sst", options, &report);
    return std::make_pair(s, report);
  };
  auto [s1, r1] = build("{\"user\": 1, \"tracks\": [1]}\n{\"user\": 2, \"tracks\": [99]}\n");
  CHECK_FALSE(s1.ok());
  CHECK_THAT(s1.message(), Catch::Contains("recs.jsonl:2") && Catch::Contains("99"));
  CHECK_FALSE(std::filesystem::exists(dir / "out.sst"));

  auto [s2, r2] = build("{\"user\": 1, \"tracks\": []}\n");
  CHECK_THAT(s2.message(), Catch::Contains(":1") && Catch::Contains("empty"));
  auto [s3, r3] = build("{\"user\": 1, \"tracks\": [1]}\nnot json\n");
  CHECK_THAT(s3.message(), Catch::Contains(":2") && Catch::Contains("malformed"));
  auto [s4, r4] = build("{\"user\": 1, \"tracks\": [1]}\n{\"user\": 1, \"tracks\": [2]}\n");
  CHECK_THAT(s4.message(), Catch::Contains("listed again"));
  auto [s5, r5] =
      build("{\"user\": 1, \"tracks\": [1]}\n{\"track\": 1, \"recommendations\": [2]}\n");
  CHECK_THAT(s5.message(), Catch::Contains("keyed by"));
}

TEST_CASE("index build policies skip bad lines and resolve duplicates",
          "[storage][index_builder]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog(50);
  WriteFile(dir / "recs.jsonl",
            "{\"user\": 1, \"tracks\": [1, 2, 1]}\n"
            "{\"user\": 2, \"tracks\": [99]}\n"
            "\n"
            "{\"user\": 1, \"tracks\": [3]}\n");
  IndexBuildOptions options;
  options.on_error = IndexBuildOptions::OnError::kSkipLine;
  options.duplicates = IndexBuildOptions::Duplicates::kLastWins;
  IndexBuildReport report;
  REQUIRE(BuildIndexSst(dir / "recs.jsonl", catalog, dir / "out.sst", options, &report).ok());
  CHECK(report.lines == 3);
  CHECK(report.meta.lists == 1);
  CHECK(report.skipped_lines == 2);
  CHECK(report.repeated_tracks == 1);
  CHECK(report.problem_count == 2);
  auto store = OpenStore(dir / "db");
  REQUIRE(store->IngestIndex("ub", dir / "out.sst", catalog).ok());
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{3});
}

TEST_CASE("ingesting a file that is not an index leaves the current generation",
          "[storage][store]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  auto store = OpenStore(dir / "db");
  Load(*store, dir, catalog, "ub", "{\"user\": 1, \"tracks\": [5]}\n");
  WriteFile(dir / "junk.sst", "this is not an sst file");
  CHECK_FALSE(store->IngestIndex("ub", dir / "junk.sst", catalog).ok());
  CHECK(ListOf(*store, "ub", 1) == std::vector<TrackId>{5});
  CHECK((*store->ListIndexes())[0].generation == 1);
}
