// Damaged and foreign index files are refused with the file and the problem named, before
// RocksDB ingests them (issue 20); a generation damaged inside the database is found by
// Store::VerifyIndex; serving-time read errors are counted.
#include "storage/index_file_check.h"

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "storage/codec.h"
#include "storage/index_builder.h"
#include "storage/store.h"
#include "storage/table_format.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::storage;
using botify::testing::FindFile;
using botify::testing::FlipMiddleBit;
using botify::testing::ReadFile;
using botify::testing::TempDir;
using botify::testing::WriteFile;
namespace fs = std::filesystem;

namespace {

constexpr int kTracks = 200;

catalog::Catalog MakeCatalog() {
  std::vector<catalog::TrackRecord> records;
  for (int t = 0; t < kTracks; ++t) records.push_back({static_cast<TrackId>(t), "a", "t"});
  return std::move(*catalog::Catalog::FromRecords(std::move(records)));
}

// The reproduction: 300 users, user u gets {u, u+1, u+7} mod 200.
std::string BuildIndex(const TempDir& dir, const std::string& name = "ok.sst") {
  std::string text;
  for (int u = 0; u < 300; ++u) {
    text += "{\"user\": " + std::to_string(u) + ", \"tracks\": [" + std::to_string(u % 200) + ", " +
            std::to_string((u + 1) % 200) + ", " + std::to_string((u + 7) % 200) + "]}\n";
  }
  WriteFile(dir / "recs.jsonl", text);
  REQUIRE(BuildIndexSst(dir / "recs.jsonl", MakeCatalog(), dir / name, {}, nullptr).ok());
  return dir / name;
}

// Writes an SST of raw entries (keys must be ascending) with the index table format.
void WriteRawSst(const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& kv) {
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), IndexSstWriterOptions());
  REQUIRE(writer.Open(path).ok());
  for (const auto& [k, v] : kv) REQUIRE(writer.Put(k, v).ok());
  REQUIRE(writer.Finish().ok());
}

std::string MetaJson(std::uint64_t lists, std::uint64_t tracks) {
  IndexMeta meta;
  meta.lists = lists;
  meta.tracks = tracks;
  return meta.ToJson();
}

std::string List(std::vector<TrackId> tracks) { return EncodeTrackList(tracks); }

// The message of a refused file, which must name it.
std::string Refusal(const std::string& path) {
  auto meta = CheckIndexFile(path, kTracks);
  REQUIRE_FALSE(meta.ok());
  CHECK(meta.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(meta.status().message(), Catch::StartsWith(path + ": "));
  return meta.status().message();
}

std::unique_ptr<Store> OpenStore(const std::string& path, const catalog::Catalog& catalog) {
  auto store = Store::Open({path});
  REQUIRE(store.ok());
  REQUIRE((*store)->PutCatalog(catalog).ok());
  return std::move(*store);
}

// A closed database at `dir`/db holding `catalog` and generation 1 of "ub" (the issue's
// index).
void MakeStoredGeneration(const TempDir& dir, const catalog::Catalog& catalog) {
  auto store = OpenStore(dir / "db", catalog);
  REQUIRE(store->IngestIndex("ub", BuildIndex(dir), catalog).ok());
  CHECK(store->VerifyIndex("ub", catalog).ok());
}

std::vector<TrackId> ListOf(Store& store, std::uint32_t user) {
  auto index = store.OpenIndex("ub");
  REQUIRE(index.ok());
  std::vector<TrackId> out;
  (*index)->Get(user, &out);
  return out;
}

}  // namespace

TEST_CASE("an index file from BuildIndexSst passes the check with its metadata",
          "[storage][index_check]") {
  TempDir dir;
  auto meta = CheckIndexFile(BuildIndex(dir), kTracks);
  REQUIRE(meta.ok());
  CHECK(meta->lists == 300);
  CHECK(meta->tracks == 900);
}

TEST_CASE("damaged, truncated and foreign files are refused naming the file and the problem",
          "[storage][index_check]") {
  TempDir dir;
  const std::string path = BuildIndex(dir);
  SECTION("a bit flipped in the middle: checksum mismatch") {
    FlipMiddleBit(path);
    CHECK_THAT(Refusal(path), Catch::Contains("checksum mismatch"));
  }
  SECTION("cut in half: truncated") {
    const std::string bytes = ReadFile(path);
    WriteFile(path, bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(Refusal(path), Catch::Contains("truncated"));
  }
  SECTION("random bytes: not an index built by botify") {
    std::mt19937 rng(20);
    std::string bytes(8192, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    WriteFile(path, bytes);
    CHECK_THAT(Refusal(path), Catch::Contains("not an index built by botify"));
  }
  SECTION("empty") {
    WriteFile(path, "");
    CHECK_THAT(Refusal(path), Catch::Contains("empty file"));
  }
}

TEST_CASE("an SST with valid keys but bad values, ids or counts is refused",
          "[storage][index_check]") {
  TempDir dir;
  const std::string path = dir / "bad.sst";
  SECTION("a value that does not decode") {
    WriteRawSst(path,
                {{"", MetaJson(2, 2)}, {EncodeIdKey(1), List({5})}, {EncodeIdKey(3), "abcde"}});
    CHECK_THAT(Refusal(path), Catch::Contains("the list for user 3 does not decode") &&
                                  Catch::Contains("5 bytes"));
  }
  SECTION("a track outside the catalog") {
    WriteRawSst(path, {{"", MetaJson(1, 2)}, {EncodeIdKey(4), List({5, 9999})}});
    CHECK_THAT(Refusal(path), Catch::Contains("user 4 has track 9999 at position 1, outside "
                                              "the catalog (200 tracks)"));
  }
  SECTION("an empty list") {
    WriteRawSst(path, {{"", MetaJson(1, 0)}, {EncodeIdKey(4), ""}});
    CHECK_THAT(Refusal(path), Catch::Contains("the list for user 4 is empty"));
  }
  SECTION("counts that disagree with the file's metadata") {
    WriteRawSst(path,
                {{"", MetaJson(3, 3)}, {EncodeIdKey(1), List({5})}, {EncodeIdKey(2), List({6})}});
    CHECK_THAT(Refusal(path), Catch::Contains("holds 2 lists and 2 tracks, its metadata says 3 "
                                              "lists and 3 tracks"));
  }
  SECTION("no metadata record") {
    WriteRawSst(path, {{EncodeIdKey(1), List({5})}});
    CHECK_THAT(Refusal(path), Catch::Contains("not an index built by botify: its first key is "
                                              "not the metadata record"));
  }
  SECTION("metadata that does not parse") {
    WriteRawSst(path, {{"", "{\"hello\": 1}"}, {EncodeIdKey(1), List({5})}});
    CHECK_THAT(Refusal(path), Catch::Contains("its metadata does not parse"));
  }
  SECTION("a key that is not a 4-byte id") {
    WriteRawSst(path, {{"", MetaJson(1, 1)}, {"abcde", List({5})}});
    CHECK_THAT(Refusal(path), Catch::Contains("key #1 is not an id"));
  }
}

TEST_CASE("a refused file leaves the current generation serving", "[storage][index_check]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  auto store = OpenStore(dir / "db", catalog);
  REQUIRE(store->IngestIndex("ub", BuildIndex(dir), catalog).ok());
  const std::string flipped = BuildIndex(dir, "flip.sst");
  FlipMiddleBit(flipped);
  auto refused = store->IngestIndex("ub", flipped, catalog);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("flip.sst") && Catch::Contains("checksum"));
  CHECK(ListOf(*store, 10) == std::vector<TrackId>{10, 11, 17});
  CHECK((*store->ListIndexes())[0].generation == 1);
}

TEST_CASE("VerifyIndex finds a generation damaged inside the database, which still opens",
          "[storage][index_check]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  MakeStoredGeneration(dir, catalog);
  const fs::path sst = FindFile(dir / "db", ".sst", [](const std::string& path) {
    return CheckIndexFile(path, kTracks).ok();  // the generation, not the catalog or manifest
  });
  REQUIRE_FALSE(sst.empty());
  FlipMiddleBit(sst);
  auto store = Store::Open({dir / "db"});
  REQUIRE(store.ok());
  CHECK((*store)->VerifyIndex("other", catalog).code() == StatusCode::kNotFound);
  Status s = (*store)->VerifyIndex("ub", catalog);
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK_THAT(s.message(), Catch::StartsWith("index ub generation 1: ") &&
                              Catch::Contains(sst.filename().string()) &&
                              Catch::Contains("checksum mismatch"));
}

TEST_CASE("a stored list that does not decode counts as a read error and answers no list",
          "[storage][index_check]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog();
  MakeStoredGeneration(dir, catalog);
  {  // damage one value through RocksDB itself, bypassing every check
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies({}, dir / "db", &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open({}, dir / "db", descriptors, &handles, &db).ok());
    for (auto* h : handles) {
      if (h->GetName() == "idx.ub.1") REQUIRE(db->Put({}, h, EncodeIdKey(5), "xyz").ok());
    }
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  auto store = OpenStore(dir / "db", catalog);
  CHECK(store->IndexReadErrors("ub") == 0);
  CHECK(ListOf(*store, 5).empty());
  CHECK(store->IndexReadErrors("ub") == 1);
  CHECK(ListOf(*store, 6) == std::vector<TrackId>{6, 7, 13});
  CHECK(ListOf(*store, 100000).empty());  // no list is not an error
  CHECK(store->IndexReadErrors("ub") == 1);
  CHECK_THAT(store->VerifyIndex("ub", catalog).message(),
             Catch::Contains("user 5 does not decode"));
}

TEST_CASE("a second Store on a locked database fails with a Status, not a crash",
          "[storage][store]") {
  TempDir dir;
  auto first = Store::Open({dir / "db"});
  REQUIRE(first.ok());
  auto second = Store::Open({dir / "db"});
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(second.status().message(), Catch::Contains("is locked"));
}

TEST_CASE("a manifest catalog size that is not a number is Corruption, not an exception",
          "[storage][store]") {
  TempDir dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, dir / "db", &db).ok());
    REQUIRE(db->Put({}, "catalog/size", "12x").ok());
    delete db;
  }
  auto store = Store::Open({dir / "db"});
  REQUIRE(store.ok());
  auto catalog = (*store)->LoadCatalog();
  REQUIRE_FALSE(catalog.ok());
  CHECK(catalog.status().code() == StatusCode::kCorruption);
  CHECK_THAT(catalog.status().message(), Catch::Contains("'12x'"));
}
