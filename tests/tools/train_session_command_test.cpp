#include <fmt/core.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "engine/catalog/recommendations_file.h"
#include "engine/serving/session_model_file.h"
#include "tests/test_support.h"
#include "tests/tools/session_log_support.h"

using namespace botify;
using namespace botify::testing;

TEST_CASE(
    "train session on a small world writes a model and candidate lists that index "
    "build carries together",
    "[tools][session]") {
  TempDir dir;
  std::string output;
  const catalog::Catalog catalog = SmallWorldWithLogs(dir);
  const std::size_t tracks = catalog.size();
  // Trains on the small world's logs into `name`.jsonl and `name`.model.
  auto train = [&](const std::string& name, const std::vector<std::string>& extra) {
    return Botify(TrainArgs(dir, "session", name,
                            {"--model-out", dir / (name + ".model"), "--depth", "20", "--dim", "8",
                             "--epochs", "3", "--validation-fraction", "0.1"},
                            extra),
                  &output);
  };
  REQUIRE(train("sm", {"--user-lists-out", dir / "users.jsonl", "--user-list-length", "30"}) == 0);
  INFO(output);
  CHECK_THAT(output, Catch::Contains("3000 sessions") && Catch::Contains("epoch 3/3") &&
                         Catch::Contains("validation log loss") &&
                         Catch::Contains(fmt::format("wrote {} candidate lists", tracks)));
  auto model = serving::ReadSessionModelFile(dir / "sm.model");
  REQUIRE(model.ok());
  CHECK(model->tracks == tracks);
  CHECK(model->dim == 8);
  CHECK(model->tied());
  CHECK(model->surprise_weight == 0.5f);
  CHECK(model->gamma > 0);
  CHECK(model->gamma <= 1);

  // The lists: each track's best candidates under the model, mostly of its taste.
  const auto lists = ReadRecommendationsFile(dir / "sm.jsonl");
  REQUIRE(lists.size() == tracks);
  std::size_t liked = 0;
  for (std::size_t i = 0; i < tracks; ++i) {
    CHECK(lists[i].key == catalog::ListKey::kTrack);
    REQUIRE(lists[i].tracks.size() == 20);
    std::set<TrackId> unique(lists[i].tracks.begin(), lists[i].tracks.end());
    CHECK(unique.size() == 20);
    CHECK(unique.count(static_cast<TrackId>(i)) == 0);
    for (TrackId t : lists[i].tracks) {
      liked += catalog.artist_of(t) % 2 == catalog.artist_of(static_cast<TrackId>(i)) % 2;
    }
  }
  CHECK(liked > tracks * 20 * 9 / 10);  // random lists: about half

  // Per-user lists: every user with a session, 30 tracks of 30 distinct artists (the
  // small world has 200 artists), their own session starts among them.
  const auto users = ReadRecommendationsFile(dir / "users.jsonl");
  CHECK(users.size() == 200);
  for (const auto& list : users) {
    CHECK(list.key == catalog::ListKey::kUser);
    CHECK(list.tracks.size() == 30);
    std::set<ArtistId> artists;
    for (TrackId t : list.tracks) artists.insert(catalog.artist_of(t));
    CHECK(artists.size() == 30);
  }
  CHECK(Botify({"index", "build", "--recs", dir / "users.jsonl", "--tracks",
                dir / "world/tracks.json", "--out", dir / "users.sst"},
               &output) == 0);
  REQUIRE(Botify({"index", "build", "--recs", dir / "sm.jsonl", "--session-model", dir / "sm.model",
                  "--tracks", dir / "world/tracks.json", "--out", dir / "sm.sst"},
                 &output) == 0);
  CHECK_THAT(output, Catch::Contains("a session model of"));
  // The same run again gives the same files: the model depends on the seed and the logs.
  REQUIRE(train("again", {"--threads", "1"}) == 0);
  CHECK(ReadFile(dir / "again.model") == ReadFile(dir / "sm.model"));
  CHECK(ReadFile(dir / "again.jsonl") == ReadFile(dir / "sm.jsonl"));
}

TEST_CASE("train session reports bad input with where and what", "[tools][session]") {
  TempDir dir;
  std::string output;
  CHECK(Botify({"train", "session", "--help"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("--surprise-weight") && Catch::Contains("--model-out") &&
                         Catch::Contains("--depth"));
  REQUIRE(Botify({"world", "gen", "--out", dir / "world", "--preset", "small"}, &output) == 0);
  const std::vector<std::string> common = {
      "train", "session",       "--tracks",    dir / "world/tracks.json",
      "--out", dir / "o.jsonl", "--model-out", dir / "o.model"};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return Botify(args, &output);
  };
  CHECK(run({"--logs", dir / "missing"}) != 0);
  CHECK_THAT(output, Catch::Contains("does not exist"));
  WriteFile(dir / "bad.jsonl", EventLine(eventlog::EventKind::kNext, 1, 1, 3, 1.0) +
                                   "{\"message\": \"next\"}\n" +
                                   EventLine(eventlog::EventKind::kLast, 2, 1, 4, 0.5));
  CHECK(run({"--logs", dir / "bad.jsonl", "--strict"}) == 2);
  CHECK_THAT(output, Catch::Contains("bad.jsonl:2"));
  CHECK(run({"--logs", dir / "bad.jsonl", "--dim", "0"}) == 2);
  CHECK_THAT(output, Catch::Contains("dim must be in [1, 256], got 0"));
  CHECK(run({"--logs", dir / "bad.jsonl", "--surprise-weight", "-1"}) == 2);
  CHECK_THAT(output, Catch::Contains("surprise weight"));
  WriteFile(dir / "outside.jsonl", EventLine(eventlog::EventKind::kNext, 1, 1, 3, 1.0) +
                                       EventLine(eventlog::EventKind::kLast, 2, 1, 99999, 0.5));
  CHECK(run({"--logs", dir / "outside.jsonl"}) == 2);
  CHECK_THAT(output, Catch::Contains("skipped 1 sessions playing a track outside the") &&
                         Catch::Contains("no plays after a session's first track"));
  CHECK_FALSE(std::filesystem::exists(dir / "o.model"));
}
