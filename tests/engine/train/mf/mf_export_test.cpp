#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/line_reader.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/train/mf/model_rows.h"
#include "engine/train/mf/projector_export.h"
#include "engine/train/mf/recommendations_export.h"
#include "engine/train/mf/trained_model.h"
#include "tests/engine/dense/reference_ranking.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::train::mf;
using botify::testing::ReadFile;
using botify::testing::TempDir;

namespace {

TrainedModel SmallTrained() {
  TrainedModel t;
  t.model = MfModel(3, 4, 3);
  Rng rng(5);
  t.model.InitUniform(rng);
  for (std::uint32_t i = 0; i < 4; ++i) t.model.bias(i) = 0.25f * static_cast<float>(i);
  t.user_ids = {7, 20, 1000};
  t.track_ids = {0, 2, 3, 5};
  t.train = UserItemMatrix::FromPairs(3, {{0, 3}, {1, 0}, {1, 2}});
  return t;
}

// Gives `t` (a model of `users` x `items`) user ids 10 + 3u, track ids 2i, and
// `per_user` random train items per user.
void AddIdsAndTrain(std::uint32_t users, std::uint32_t items, int per_user, Rng& rng,
                    TrainedModel* t) {
  for (std::uint32_t u = 0; u < users; ++u) t->user_ids.push_back(10 + 3 * u);
  for (std::uint32_t i = 0; i < items; ++i) t->track_ids.push_back(2 * i);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> train;
  for (std::uint32_t u = 0; u < users; ++u) {
    for (int j = 0; j < per_user; ++j) {
      train.emplace_back(u, static_cast<std::uint32_t>(rng.Uniform(items)));
    }
  }
  t->train = UserItemMatrix::FromPairs(users, std::move(train));
}

}  // namespace

TEST_CASE("a saved model loads back bit for bit", "[engine][mf][model]") {
  TempDir dir;
  const TrainedModel t = SmallTrained();
  REQUIRE(SaveTrainedModel(t, dir / "m.bin").ok());
  auto loaded = LoadTrainedModel(dir / "m.bin");
  REQUIRE(loaded.ok());
  CHECK(loaded->model == t.model);
  CHECK(loaded->user_ids == t.user_ids);
  CHECK(loaded->track_ids == t.track_ids);
  CHECK(loaded->train.indptr() == t.train.indptr());
  CHECK(loaded->train.items() == t.train.items());
  CHECK_FALSE(std::filesystem::exists(dir / "m.bin.tmp"));
}

TEST_CASE("damaged model files are refused with a reason", "[engine][mf][model]") {
  TempDir dir;
  REQUIRE(SaveTrainedModel(SmallTrained(), dir / "m.bin").ok());
  std::string bytes = ReadFile(dir / "m.bin");
  auto load_with = [&](const std::string& b) {
    botify::testing::WriteFile(dir / "bad.bin", b);
    return LoadTrainedModel(dir / "bad.bin").status();
  };
  std::string flipped = bytes;
  flipped[60] ^= 1;
  CHECK_THAT(load_with(flipped).message(), Catch::Contains("checksum"));
  CHECK_THAT(load_with(bytes.substr(0, bytes.size() - 9)).message(), Catch::Contains("size"));
  std::string version = bytes;
  version[8] = 9;
  CHECK_THAT(load_with(version).message(), Catch::Contains("version 9"));
  CHECK_THAT(load_with("hello").message(), Catch::Contains("magic"));
  CHECK(LoadTrainedModel(dir / "missing.bin").status().code() == StatusCode::kNotFound);
}

TEST_CASE("exported lists rank by score without the user's train tracks", "[engine][mf][export]") {
  TempDir dir;
  TrainedModel t = SmallTrained();
  // Make the biases dominate: item order 3, 2, 1, 0 for everyone.
  for (std::uint32_t i = 0; i < 4; ++i) t.model.bias(i) = 10.0f * static_cast<float>(i);
  RecommendationsExportOptions options;
  options.top_n = 2;
  std::size_t last_done = 0;
  REQUIRE(WriteRecommendations(t, dir / "recs.jsonl", options, [&](std::size_t done, std::size_t) {
            last_done = done;
          }).ok());
  CHECK(last_done == 3);
  CHECK(ReadFile(dir / "recs.jsonl") ==
        "{\"user\": 7, \"tracks\": [3, 2]}\n"   // item 3 (track 5) is a train item
        "{\"user\": 20, \"tracks\": [5, 2]}\n"  // items 0 and 2 are train items
        "{\"user\": 1000, \"tracks\": [5, 3]}\n");
  // --include-known: the train items stay, so every user gets the same top two.
  options.exclude_known = false;
  REQUIRE(WriteRecommendations(t, dir / "known.jsonl", options).ok());
  CHECK(ReadFile(dir / "known.jsonl") ==
        "{\"user\": 7, \"tracks\": [5, 3]}\n"
        "{\"user\": 20, \"tracks\": [5, 3]}\n"
        "{\"user\": 1000, \"tracks\": [5, 3]}\n");
}

TEST_CASE("a bounded export searching every list or node is the exact export",
          "[engine][mf][export][bounded]") {
  // Small integers: many exact ties. The cells are scored with the exact ranking's
  // products and selector, so the lists must be equal, ties included.
  TrainedModel t;
  const std::uint32_t users = 150, items = 700;
  t.model = MfModel(users, items, 5);
  Rng rng(9);
  for (std::uint32_t u = 0; u < users; ++u) {
    for (std::uint32_t c = 0; c < 5; ++c)
      t.model.user(u)[c] = static_cast<float>(rng.Uniform(5)) - 2;
  }
  for (std::uint32_t i = 0; i < items; ++i) {
    for (std::uint32_t c = 0; c < 5; ++c)
      t.model.item(i)[c] = static_cast<float>(rng.Uniform(5)) - 2;
    t.model.bias(i) = static_cast<float>(rng.Uniform(3));
  }
  AddIdsAndTrain(users, items, 6, rng, &t);
  TempDir dir;
  RecommendationsExportOptions exact;
  exact.top_n = 40;
  exact.exclude_known = GENERATE(true, false);
  REQUIRE(WriteRecommendations(t, dir / "exact.jsonl", exact).ok());
  RecommendationsExportOptions bounded = exact;
  const std::size_t lists = GENERATE(1, 9, 26);
  bounded.index.kind = dense::IndexKind::kIvf;
  bounded.index.lists = lists;
  bounded.index.probe = lists;
  bounded.threads = GENERATE(1, 2);
  REQUIRE(WriteRecommendations(t, dir / "bounded.jsonl", bounded).ok());
  CHECK(ReadFile(dir / "bounded.jsonl") == ReadFile(dir / "exact.jsonl"));

  // Fewer lists searched: still a full list per user, none of their train tracks.
  bounded.index.lists = 26;
  bounded.index.probe = 4;
  REQUIRE(WriteRecommendations(t, dir / "few.jsonl", bounded).ok());
  const auto few = botify::testing::ReadRecommendationsFile(dir / "few.jsonl");
  REQUIRE(few.size() == users);
  for (std::uint32_t u = 0; u < users; ++u) {
    CHECK(few[u].id == t.user_ids[u]);
    CHECK(few[u].tracks.size() == 40);
    for (const TrackId track : few[u].tracks) {
      if (bounded.exclude_known) CHECK_FALSE(t.train.Contains(u, track / 2));
    }
  }
  bounded.index.probe = 27;
  CHECK_THAT(WriteRecommendations(t, dir / "bad.jsonl", bounded).message(),
             Catch::Contains("nprobe must be in [1, nlist = 26], got 27"));
}

TEST_CASE("the exact export is the double-precision ranking up to near-ties",
          "[engine][mf][export]") {
  // Random floats (no exact ties): wherever two scores differ by more than float
  // rounding, the exported order is the true one.
  TrainedModel t;
  const std::uint32_t users = 200, items = 1500;
  t.model = MfModel(users, items, 10);
  Rng rng(21);
  t.model.InitUniform(rng);
  for (std::uint32_t i = 0; i < items; ++i) {
    t.model.bias(i) = static_cast<float>(rng.UniformDouble() - 0.5) * 0.1f;
  }
  AddIdsAndTrain(users, items, 9, rng, &t);
  TempDir dir;
  RecommendationsExportOptions options;
  options.top_n = 100;
  REQUIRE(WriteRecommendations(t, dir / "recs.jsonl", options).ok());
  const auto lines = botify::testing::ReadRecommendationsFile(dir / "recs.jsonl");
  REQUIRE(lines.size() == users);
  for (std::uint32_t u = 0; u < users; ++u) {
    INFO("user " << u);
    std::vector<std::uint32_t> items_of_line;
    for (const TrackId track : lines[u].tracks) items_of_line.push_back(track / 2);
    REQUIRE(botify::testing::CompareUpToNearTies(
                ItemTargets(t.model), t.model.user(u), items_of_line, t.train.Row(u),
                botify::testing::ReferenceTopK(ItemTargets(t.model), t.model.user(u), 100,
                                               t.train.Row(u))) == "");
  }
}

TEST_CASE("projector files follow tensorboardX's add_embedding layout", "[engine][mf][projector]") {
  TempDir dir;
  const TrainedModel t = SmallTrained();
  std::vector<catalog::TrackRecord> records;
  for (TrackId id = 0; id < 6; ++id) {
    records.push_back({id, "Artist " + std::to_string(id), "Title\t" + std::to_string(id)});
  }
  auto catalog = catalog::Catalog::FromRecords(records);
  REQUIRE(catalog.ok());
  ProjectorOptions options;
  options.log_dir = dir / "tb";
  REQUIRE(WriteProjector(t.model, t.track_ids, *catalog, options).ok());
  const std::string config = ReadFile(dir / "tb/projector_config.pbtxt");
  CHECK(config ==
        "embeddings {\ntensor_name: \"default:00000\"\n"
        "tensor_path: \"00000/default/tensors.tsv\"\n"
        "metadata_path: \"00000/default/metadata.tsv\"\n}\n");
  CHECK(ReadFile(dir / "tb/00000/default/metadata.tsv") ==
        "artist\ttitle\nArtist 0\tTitle 0\nArtist 2\tTitle 2\nArtist 3\tTitle 3\n"
        "Artist 5\tTitle 5\n");
  std::istringstream tensors(ReadFile(dir / "tb/00000/default/tensors.tsv"));
  std::string line;
  int rows = 0;
  while (std::getline(tensors, line)) {
    std::istringstream cells(line);
    std::vector<float> values;
    for (std::string cell; std::getline(cells, cell, '\t');) values.push_back(std::stof(cell));
    REQUIRE(values.size() == 3);
    CHECK(values[1] == t.model.item(rows)[1]);
    ++rows;
  }
  CHECK(rows == 4);

  SECTION("a second export with another tag is appended, a repeat is not") {
    options.tag = "a/b";
    REQUIRE(WriteProjector(t.model, t.track_ids, *catalog, options).ok());
    REQUIRE(WriteProjector(t.model, t.track_ids, *catalog, options).ok());
    const std::string both = ReadFile(dir / "tb/projector_config.pbtxt");
    CHECK_THAT(both, Catch::Contains("tensor_path: \"00000/a%2fb/tensors.tsv\""));
    CHECK_THAT(both, Catch::StartsWith(config));
    std::size_t blocks = 0;
    for (auto at = both.find("embeddings {"); at != std::string::npos;
         at = both.find("embeddings {", at + 1)) {
      ++blocks;
    }
    CHECK(blocks == 2);
  }
  SECTION("a track missing from the catalog is named") {
    auto small = catalog::Catalog::FromRecords({records.begin(), records.begin() + 4});
    REQUIRE(small.ok());
    const Status s = WriteProjector(t.model, t.track_ids, *small, options);
    CHECK_THAT(s.message(), Catch::Contains("track 5"));
  }
}
