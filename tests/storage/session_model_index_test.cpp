// An index generation that carries a session model (docs/contracts.md §6): built beside
// the lists, checked, ingested, opened with the model in memory, kept across a restart.
#include <rocksdb/sst_file_writer.h>

#include <catch2/catch.hpp>

#include "engine/serving/session_model_file.h"
#include "storage/codec.h"
#include "storage/index_builder.h"
#include "storage/index_file_check.h"
#include "storage/store.h"
#include "storage/table_format.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::storage;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

catalog::Catalog MakeCatalog(int n) {
  std::vector<catalog::TrackRecord> records;
  for (int t = 0; t < n; ++t) {
    records.push_back({static_cast<TrackId>(t), "artist " + std::to_string(t % 7), "t"});
  }
  return std::move(*catalog::Catalog::FromRecords(std::move(records)));
}

// A model of `tracks` x `dim` with distinct values (so a misplaced chunk shows).
serving::SessionModelTables Model(std::uint32_t tracks, std::uint32_t dim) {
  serving::SessionModelTables t;
  t.tracks = tracks;
  t.dim = dim;
  for (std::size_t i = 0; i < std::size_t{tracks} * dim; ++i) {
    t.target.push_back(static_cast<float>(i % 1000) / 1000.0f);
  }
  t.bias.assign(tracks, 0.25f);
  t.time_weight.fill(0.0f);
  t.surprise_weight = 0.5f;
  return t;
}

// Writes per-track lists {t + 1, t + 2} and the model; returns the build's status.
Status Build(const TempDir& dir, const catalog::Catalog& catalog,
             const serving::SessionModelTables& model, const std::string& recs = "") {
  std::string text = recs;
  for (TrackId t = 0; recs.empty() && t < catalog.size(); ++t) {
    text += "{\"track\": " + std::to_string(t) + ", \"recommendations\": [" +
            std::to_string((t + 1) % catalog.size()) + ", " +
            std::to_string((t + 2) % catalog.size()) + "]}\n";
  }
  WriteFile(dir / "recs.jsonl", text);
  REQUIRE(serving::WriteSessionModelFile(dir / "m.model", model).ok());
  IndexBuildOptions options;
  options.session_model_path = dir / "m.model";
  IndexBuildReport report;
  return BuildIndexSst(dir / "recs.jsonl", catalog, dir / "sm.sst", options, &report);
}

std::unique_ptr<Store> OpenStore(const std::string& path, const catalog::Catalog& catalog) {
  auto store = Store::Open({path});
  REQUIRE(store.ok());
  REQUIRE((*store)->PutCatalog(catalog).ok());
  return std::move(*store);
}

}  // namespace

TEST_CASE("a session model rides in its index generation, across chunks and a restart",
          "[storage][session_model]") {
  TempDir dir;
  // 3,000 tracks x 100 dims: 1.2 MB, two chunks.
  const catalog::Catalog catalog = MakeCatalog(3000);
  const serving::SessionModelTables model = Model(3000, 100);
  REQUIRE(Build(dir, catalog, model).ok());
  auto checked = CheckIndexFile(dir / "sm.sst", catalog.size());
  REQUIRE(checked.ok());
  CHECK(checked->session_model_bytes == serving::EncodeSessionModel(model).size());
  CHECK(checked->session_model_bytes > kSessionModelChunkBytes);
  CHECK(checked->lists == 3000);  // the chunks are not lists
  {
    auto store = OpenStore(dir / "db", catalog);
    REQUIRE(store->IngestIndex("sm", dir / "sm.sst", catalog).ok());
    auto index = store->OpenIndex("sm");
    REQUIRE(index.ok());
    const serving::SessionModel* served = (*index)->session_model();
    REQUIRE(served != nullptr);
    CHECK(served->tables().target == model.target);
    CHECK(served->tables().surprise_weight == 0.5f);
    std::vector<TrackId> list;
    REQUIRE((*index)->Get(2999, &list));
    CHECK(list == std::vector<TrackId>{0, 1});
    // The lists are the model's candidates, in memory.
    const auto candidates = served->Candidates(2999);
    CHECK(std::vector<TrackId>(candidates.begin(), candidates.end()) == list);
    CHECK(served->Candidates(7).size() == 2);
  }
  auto store = Store::Open({dir / "db"});  // a restart
  REQUIRE(store.ok());
  CHECK((*store)->VerifyIndex("sm", catalog).ok());
  auto index = (*store)->OpenIndex("sm");
  REQUIRE(index.ok());
  REQUIRE((*index)->session_model() != nullptr);
  CHECK((*index)->session_model()->tables().bias == model.bias);
}

TEST_CASE("an index without a session model has none, and its metadata is unchanged",
          "[storage][session_model]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog(20);
  WriteFile(dir / "recs.jsonl", "{\"user\": 1, \"tracks\": [5, 6]}\n");
  IndexBuildReport report;
  REQUIRE(BuildIndexSst(dir / "recs.jsonl", catalog, dir / "ub.sst", {}, &report).ok());
  CHECK(report.meta.ToJson().find("session_model") == std::string::npos);
  auto store = OpenStore(dir / "db", catalog);
  REQUIRE(store->IngestIndex("ub", dir / "ub.sst", catalog).ok());
  auto index = store->OpenIndex("ub");
  REQUIRE(index.ok());
  CHECK((*index)->session_model() == nullptr);
}

TEST_CASE("index build refuses a session model that does not fit", "[storage][session_model]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog(20);
  Status s = Build(dir, catalog, Model(21, 4));
  CHECK_THAT(s.message(), Catch::Contains("a session model of 21 tracks, the catalog has 20"));
  CHECK_FALSE(std::filesystem::exists(dir / "sm.sst"));
  s = Build(dir, catalog, Model(20, 4), "{\"user\": 1, \"tracks\": [5, 6]}\n");
  CHECK_THAT(s.message(), Catch::Contains("needs lists keyed by track"));
  WriteFile(dir / "recs.jsonl", "{\"track\": 1, \"recommendations\": [5, 6]}\n");
  WriteFile(dir / "bad.model", "BTFYSESM and then nonsense");
  IndexBuildOptions options;
  options.session_model_path = dir / "bad.model";
  s = BuildIndexSst(dir / "recs.jsonl", catalog, dir / "sm.sst", options, nullptr);
  CHECK_THAT(s.message(),
             Catch::Contains(dir / "bad.model") && Catch::Contains("not a valid session model"));
}

TEST_CASE("the index check refuses missing, reordered and damaged model chunks",
          "[storage][session_model]") {
  TempDir dir;
  const catalog::Catalog catalog = MakeCatalog(20);
  const std::string bytes = serving::EncodeSessionModel(Model(20, 4));
  IndexMeta meta;
  meta.key = catalog::ListKey::kTrack;
  meta.lists = 1;
  meta.tracks = 2;
  meta.session_model_bytes = bytes.size();
  auto refusal = [&](const std::vector<std::pair<std::string, std::string>>& chunks) {
    const std::string path = dir / "raw.sst";
    std::filesystem::remove(path);
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), IndexSstWriterOptions());
    REQUIRE(writer.Open(path).ok());
    REQUIRE(writer.Put("", meta.ToJson()).ok());
    REQUIRE(writer.Put(EncodeIdKey(3), EncodeTrackList(std::vector<TrackId>{4, 5})).ok());
    for (const auto& [k, v] : chunks) REQUIRE(writer.Put(k, v).ok());
    REQUIRE(writer.Finish().ok());
    auto checked = CheckIndexFile(path, catalog.size());
    return checked.ok() ? std::string("accepted") : checked.status().message();
  };
  CHECK(refusal({{SessionModelChunkKey(0), bytes}}) == "accepted");
  CHECK_THAT(refusal({}), Catch::Contains("holds 0 bytes of a session model, its metadata says"));
  CHECK_THAT(refusal({{SessionModelChunkKey(1), bytes}}),
             Catch::Contains("session model chunk 1 where chunk 0 was due"));
  std::string damaged = bytes;
  damaged[100] ^= 1;
  CHECK_THAT(refusal({{SessionModelChunkKey(0), damaged}}), Catch::Contains("CRC-32 mismatch"));
  CHECK_THAT(refusal({{SessionModelChunkKey(0), bytes.substr(0, 50)},
                      {SessionModelChunkKey(1), bytes.substr(50)}}),
             Catch::Contains("accepted"));  // chunks may be any size up to the maximum
}
