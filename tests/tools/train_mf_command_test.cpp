// End-to-end runs of `botify train mf`, `train mf-export` and `train search` on a small
// synthetic log with planted structure.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "base/line_reader.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/train/mf/synthetic_log.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::ReadFile;
using botify::testing::ReadRecommendationsFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

void WriteLogs(const TempDir& dir) {
  std::filesystem::create_directories(dir / "logs/day1");
  train::mf::SyntheticLogOptions log;
  log.users = 200;
  log.tracks = 120;
  log.groups = 6;
  REQUIRE(
      train::mf::WriteEventLog(train::mf::MakeSyntheticEvents(log), dir / "logs/day1/events.jsonl")
          .ok());
  std::string tracks;
  for (int t = 0; t < 120; ++t) {
    tracks += "{\"track\": " + std::to_string(t) + ", \"artist\": \"A" + std::to_string(t % 7) +
              "\", \"title\": \"T" + std::to_string(t) + "\"}\n";
  }
  WriteFile(dir / "tracks.json", tracks);
}

// WriteLogs, then a 2-epoch model of 8 components at dir/model.bin (its lists at
// dir/recs.jsonl). What `train mf` printed goes to *output when given.
void TrainSmallModel(const TempDir& dir, std::string* output = nullptr) {
  WriteLogs(dir);
  std::string printed;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                      dir / "recs.jsonl", "--components", "8", "--epochs", "2", "--min-epochs", "2",
                      "--allow-below-baseline", "--model-out", dir / "model.bin"},
                     &printed) == 0);
  if (output != nullptr) *output = printed;
}

}  // namespace

TEST_CASE("train mf trains, beats popularity, exports, saves and re-exports", "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  std::string output;
  const int code = RunCommand(
      {BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out", dir / "recs.jsonl",
       "--components", "16", "--epochs", "6", "--model-out", dir / "model.bin", "--tensorboard",
       dir / "tb", "--tracks", dir / "tracks.json", "--split-out", dir / "split"},
      &output);
  INFO(output);
  REQUIRE(code == 0);
  CHECK_THAT(output, Catch::Contains("epoch 1/6: precision@10"));
  CHECK_THAT(output, Catch::Contains("popularity baseline: precision@10"));
  CHECK_THAT(output, Catch::Contains("beyond the 95% intervals"));
  CHECK_THAT(output, Catch::Contains(" ms, eval "));
  const auto recs = ReadRecommendationsFile(dir / "recs.jsonl");
  CHECK(recs.size() == 200);
  for (const auto& r : recs) CHECK(r.tracks.size() == 100);
  CHECK(std::filesystem::exists(dir / "tb/00000/default/tensors.tsv"));
  CHECK(std::filesystem::exists(dir / "tb/projector_config.pbtxt"));
  CHECK_THAT(ReadFile(dir / "split/train.tsv"), Catch::StartsWith("user\ttrack\n"));
  CHECK_THAT(ReadFile(dir / "split/test.tsv"), Catch::StartsWith("user\ttrack\n"));

  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin",
                      "--out", dir / "again.jsonl"},
                     &output) == 0);
  CHECK(ReadFile(dir / "again.jsonl") == ReadFile(dir / "recs.jsonl"));
}

TEST_CASE("train search writes a table and best params that train mf accepts", "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  std::string output;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "search", "--logs", dir / "logs", "--trials", "3",
                      "--epochs", "2", "--sampler", "halving", "--out", dir / "best.json",
                      "--table", dir / "table.md"},
                     &output) == 0);
  INFO(output);
  CHECK_THAT(output, Catch::Contains("trial 1/3"));
  CHECK_THAT(ReadFile(dir / "table.md"), Catch::Contains("(best)"));
  CHECK_THAT(ReadFile(dir / "best.json"), Catch::Contains("\"search\""));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                      dir / "recs.jsonl", "--params", dir / "best.json", "--epochs", "1",
                      "--allow-below-baseline"},
                     &output) == 0);
  CHECK_THAT(ReadFile(dir / "best.json"), Catch::Contains("\"curve\":["));
}

TEST_CASE("train mf fails loudly when the model does not beat popularity", "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  std::string output;
  const std::vector<std::string> untrained = {BOTIFY_CLI_BINARY,
                                              "train",
                                              "mf",
                                              "--logs",
                                              dir / "logs",
                                              "--out",
                                              dir / "recs.jsonl",
                                              "--epochs",
                                              "1",
                                              "--learning-rate",
                                              "0.000001",
                                              "--components",
                                              "4"};
  CHECK(RunCommand(untrained, &output) != 0);
  INFO(output);
  CHECK_THAT(output, Catch::Contains("does not beat the popularity baseline: precision@10") &&
                         Catch::Contains("vs popularity") &&
                         Catch::Contains("--allow-below-baseline"));
  CHECK_FALSE(std::filesystem::exists(dir / "recs.jsonl"));
  std::vector<std::string> allowed = untrained;
  allowed.push_back("--allow-below-baseline");
  CHECK(RunCommand(allowed, &output) == 0);
  CHECK_THAT(output, Catch::Contains("NOT beyond the 95% intervals"));
  CHECK(std::filesystem::exists(dir / "recs.jsonl"));
}

TEST_CASE("train mf errors name what is wrong", "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  std::string output;
  WriteFile(dir / "bad.json", "{\"loss\": \"hinge\"}");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "r.jsonl", "--params", dir / "bad.json"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("bad.json") && Catch::Contains("hinge"));
  std::filesystem::create_directories(dir / "empty");
  WriteFile(dir / "empty/x.jsonl", "{\"message\": \"next\", \"user\": \"x\"}\n");
  CHECK(RunCommand(
            {BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "empty", "--out", dir / "r.jsonl"},
            &output) != 0);
  CHECK_THAT(output, Catch::Contains("no events in"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "r.jsonl", "--components", "0"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("no_components"));
}

TEST_CASE("train mf with a time-aware item bias trains and exports; search chooses the form",
          "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  for (const char* form : {"binned", "drift"}) {
    INFO(form);
    std::string output;
    // The synthetic log's timestamps are 1 ms apart: bins of 5 s give several bins.
    const int code =
        RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "recs.jsonl", "--components", "16", "--epochs", "3", "--item-bias", form,
                    "--bias-bin-seconds", "5", "--allow-below-baseline"},
                   &output);
    INFO(output);
    REQUIRE(code == 0);
    CHECK(ReadRecommendationsFile(dir / "recs.jsonl").size() == 200);
  }
  std::string output;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "search", "--logs", dir / "logs", "--trials", "4",
                      "--epochs", "1", "--out", dir / "best.json", "--item-bias-choices",
                      "binned,drift", "--bias-bin-seconds", "5", "--table", dir / "table.md"},
                     &output) == 0);
  INFO(output);
  CHECK_THAT(ReadFile(dir / "table.md"), Catch::Contains(" bias |"));
  CHECK_THAT(ReadFile(dir / "best.json"), Catch::Contains("\"item_bias\":"));
  CHECK_THAT(ReadFile(dir / "best.json"), Catch::Contains("\"bias_bin_seconds\":5"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "recs.jsonl", "--item-bias", "weekly"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("item_bias must be static, binned or drift, got 'weekly'"));
}

TEST_CASE("train mf --eval-users evaluates a named sample; bad values are refused", "[tools][mf]") {
  TempDir dir;
  WriteLogs(dir);
  std::string output;
  const int code = RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                               dir / "recs.jsonl", "--components", "16", "--epochs", "2",
                               "--min-epochs", "2", "--eval-users", "40", "--allow-below-baseline"},
                              &output);
  INFO(output);
  REQUIRE(code == 0);
  CHECK_THAT(output, Catch::Contains("over 40 users (a seeded sample of 40 of "));
  CHECK_THAT(output, Catch::Contains("at epoch") && Catch::Contains("(a seeded sample of 40 of "));
  // The export is not sampled: every user gets a list.
  CHECK(ReadRecommendationsFile(dir / "recs.jsonl").size() == 200);
  // A sample larger than the test users is the full evaluation, and says nothing of a sample.
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                      dir / "all.jsonl", "--components", "16", "--epochs", "2", "--min-epochs", "2",
                      "--eval-users", "100000", "--allow-below-baseline"},
                     &output) == 0);
  CHECK_THAT(output, !Catch::Contains("seeded sample"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "r.jsonl", "--eval-users", "-3"},
                   &output) == 2);
  CHECK_THAT(output, Catch::Contains("eval_users must be in [0, 1000000000], got -3"));
}

TEST_CASE(
    "train mf-export --export-index ivf|ivf-flat|hnsw writes bounded lists; bad bounds are refused",
    "[tools][mf]") {
  TempDir dir;
  std::string output;
  TrainSmallModel(dir, &output);
  CHECK_THAT(output, Catch::Contains("top 100, exact)"));
  // --export-clusters alone selects ivf (the flags of before keep their meaning).
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin",
                      "--out", dir / "bounded.jsonl", "--top-n", "20", "--export-clusters", "6",
                      "--export-probe", "2"},
                     &output) == 0);
  CHECK_THAT(output,
             Catch::Contains("ivf: faiss k-means cells, scored on BLAS (nlist 6, nprobe 2)"));
  // 2 of 6 lists hold about 40 of the 120 tracks: a list holds at most the searched
  // tracks that are not the user's train tracks, so it can be shorter than --top-n.
  auto recs = ReadRecommendationsFile(dir / "bounded.jsonl");
  CHECK(recs.size() == 200);
  for (const auto& r : recs) CHECK((r.tracks.size() > 0 && r.tracks.size() <= 20));
  // ivf-flat: the same cells scanned by faiss's IndexIVFFlat; lists as long as ivf's.
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin",
                      "--out", dir / "flat.jsonl", "--top-n", "20", "--export-index", "ivf-flat",
                      "--export-clusters", "6", "--export-probe", "2"},
                     &output) == 0);
  CHECK_THAT(output, Catch::Contains("ivf-flat: faiss k-means cells, scanned by faiss "
                                     "IndexIVFFlat (nlist 6, nprobe 2)"));
  const auto flat = ReadRecommendationsFile(dir / "flat.jsonl");
  REQUIRE(flat.size() == recs.size());
  for (std::size_t i = 0; i < flat.size(); ++i) {
    CHECK(flat[i].tracks.size() == recs[i].tracks.size());
  }
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin",
                      "--out", dir / "graph.jsonl", "--top-n", "20", "--export-index", "hnsw",
                      "--export-hnsw-m", "8", "--export-ef-search", "40"},
                     &output) == 0);
  CHECK_THAT(output,
             Catch::Contains(
                 "hnsw: faiss HNSW-Flat, inner product (M 8, efConstruction 40, efSearch 40)"));
  recs = ReadRecommendationsFile(dir / "graph.jsonl");
  CHECK(recs.size() == 200);
  for (const auto& r : recs) CHECK(r.tracks.size() == 20);
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin", "--out",
                    dir / "bad.jsonl", "--export-clusters", "6", "--export-probe", "7"},
                   &output) == 2);
  CHECK_THAT(output, Catch::Contains("nprobe must be in [1, nlist = 6], got 7") &&
                         Catch::Contains("--export-clusters = nlist, --export-probe = nprobe"));
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin", "--out",
                    dir / "bad.jsonl", "--export-index", "lsh"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("--export-index"));
  // train mf checks the bounds before it reads the logs.
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "logs", "--out",
                    dir / "bad.jsonl", "--export-clusters", "3", "--export-probe", "0"},
                   &output) == 2);
  CHECK_THAT(output, Catch::Contains("nprobe must be in [1, nlist = 3], got 0"));
  CHECK_THAT(output, !Catch::Contains("epoch 1"));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.jsonl"));
}

TEST_CASE("train mf-export --users-shard I/N: the N files together are the unsharded export",
          "[tools][mf][shard]") {
  TempDir dir;
  TrainSmallModel(dir);
  std::string output;
  // The exact export and bounded ones (every shard builds the same index over every track).
  for (const std::vector<std::string>& bound :
       {std::vector<std::string>{},
        std::vector<std::string>{"--export-clusters", "6", "--export-probe", "2"},
        std::vector<std::string>{"--export-index", "hnsw", "--export-hnsw-m", "8",
                                 "--export-ef-search", "40"}}) {
    std::vector<std::string> whole_args = {BOTIFY_CLI_BINARY, "train",   "mf-export", "--model",
                                           dir / "model.bin", "--top-n", "20"};
    whole_args.insert(whole_args.end(), bound.begin(), bound.end());
    std::vector<std::string> args = whole_args;
    args.insert(args.end(), {"--out", dir / "whole.jsonl"});
    REQUIRE(RunCommand(args, &output) == 0);
    const std::string whole = ReadFile(dir / "whole.jsonl");
    REQUIRE(!whole.empty());
    for (int n : {1, 2, 3, 7}) {
      INFO(n << " shards " << bound.size());
      std::vector<std::string> parts;
      for (int i = 0; i < n; ++i) {
        parts.push_back(dir / ("part-" + std::to_string(i) + ".jsonl"));
        const std::string shard = std::to_string(i) + "/" + std::to_string(n);
        args = whole_args;
        args.insert(args.end(), {"--out", parts.back(), "--users-shard", shard});
        REQUIRE(RunCommand(args, &output) == 0);
        if (n > 1) CHECK_THAT(output, Catch::Contains("users shard " + shard + " of 200 users"));
      }
      CHECK(botify::testing::MergeRecommendationParts(parts) == whole);
    }
  }
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin", "--out",
                    dir / "bad.jsonl", "--users-shard", "3/3"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("--users-shard: shard '3/3'"));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.jsonl"));
}
