#include "engine/world/world_check.h"

#include <catch2/catch.hpp>

#include "engine/world/world.h"
#include "engine/world/world_generator.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

// A good little world: 6 tracks by 3 artists (sizes 3, 2, 1), 3 users.
void WriteGoodWorld(const TempDir& dir) {
  WriteFile(dir / "tracks.json",
            "{\"track\": 0, \"artist\": \"A\", \"title\": \"a0\"}\n"
            "{\"track\": 3, \"artist\": \"A\"}\n"
            "{\"track\": 2, \"artist\": \"B\", \"title\": \"b2\", \"genres\": [\"rock\"]}\n"
            "{\"track\": 1, \"artist\": \"A\", \"title\": \"a1\"}\n"
            "{\"track\": 4, \"artist\": \"B\", \"title\": \"b4\"}\n"
            "{\"track\": 5, \"artist\": \"C\", \"title\": \"c5\"}\n");
  FloatMatrix m{6, 2, {3, 4, 1, 0, 0, 1, 0, 0, 1, 1, 6, 8}};
  REQUIRE(WriteNpy(dir / "tracks.npy", m).ok());
  WriteFile(dir / "users.json",
            "{\"user\": 0, \"interests\": [1], \"consume_bias\": 0.2, \"openness\": 0.5}\n"
            "{\"user\": 1, \"interests\": [1, 2, 3, 4, 5, 0], \"session_budget\": 3}\n"
            "{\"user\": 2, \"interests\": [0, 0, 5], \"consume_bias\": 1, "
            "\"consume_sharpness\": 2}\n");
}

world::WorldReport Check(const TempDir& dir) {
  world::WorldCheckOptions o;
  o.dir = dir.path().string();
  return world::CheckWorld(o);
}

std::string Problems(const world::WorldReport& r) {
  std::string all;
  for (const auto& p : r.problems) all += p.where + ": " + p.what + "\n";
  return all;
}

}  // namespace

TEST_CASE("world check describes a good world", "[engine][world]") {
  TempDir dir;
  WriteGoodWorld(dir);
  const world::WorldReport r = Check(dir);
  INFO(Problems(r));
  REQUIRE(r.ok());
  CHECK(r.tracks == 6);
  CHECK(r.artists == 3);
  CHECK(r.artist_size_buckets == std::vector<std::size_t>{1, 2, 0, 0, 0});
  CHECK(r.largest_artist == "A");
  CHECK(r.tracks_per_artist.max == 3);
  CHECK(r.rows == 6);
  CHECK(r.dim == 2);
  CHECK(r.layout.dtype == "<f4");
  CHECK(r.zero_rows == 1);
  CHECK(r.norms.max == 10);
  CHECK(r.norms.min == 0);
  CHECK(r.users == 3);
  CHECK(r.users_by_interest_count == std::map<std::size_t, std::size_t>{{1, 1}, {3, 1}, {6, 1}});
  CHECK(r.interests_per_user.mean == Approx(10.0 / 3));
  CHECK(r.distinct_interest_tracks == 6);
  CHECK(r.field_counts.at("openness") == 1);
  CHECK(r.field_counts.at("consume_bias") == 2);
  CHECK(r.field_counts.count("artist_discount_gamma") == 0);
  // What check accepts, World::Load (and so the simulator) reads.
  CHECK(world::World::Load(dir.path().string()).ok());
}

TEST_CASE("world check lists every problem with its file and line", "[engine][world]") {
  TempDir dir;
  WriteGoodWorld(dir);
  WriteFile(dir / "tracks.json",
            "{\"track\": 0, \"artist\": \"A\"}\n"
            "{\"track\": 0, \"artist\": \"B\"}\n"  // line 2: a duplicate
            "{\"track\": 1}\n"                     // line 3: no artist
            "{\"track\": 9, \"artist\": \"C\"}\n"  // line 4: outside 0..N-1
            "not json\n");                         // line 5
  WriteFile(dir / "users.json",
            "{\"user\": 0, \"interests\": []}\n"
            "{\"user\": 1, \"interests\": [0]}\n"
            "{\"user\": 1, \"interests\": [1]}\n"
            "{\"user\": 3, \"interests\": [7]}\n"
            "{\"user\": 2, \"interests\": [0], \"artist_discount_gamma\": 2}\n");
  const world::WorldReport r = Check(dir);
  const std::string all = Problems(r);
  INFO(all);
  CHECK_FALSE(r.ok());
  const std::string tracks = dir / "tracks.json";
  const std::string users = dir / "users.json";
  CHECK_THAT(all, Catch::Contains(tracks + ":2: track 0 appears twice (first on line 1)"));
  CHECK_THAT(all, Catch::Contains(tracks + ":3: ") && Catch::Contains("'artist'"));
  CHECK_THAT(all, Catch::Contains(tracks + ":4: track id 9 is outside 0..1"));
  CHECK_THAT(all, Catch::Contains(tracks + ":5: "));
  CHECK_THAT(all, Catch::Contains(tracks + ": 1 ids of 0..1 are missing (first: 1)"));
  // The embeddings have 6 rows, the catalog 2 valid tracks.
  CHECK_THAT(all, Catch::Contains("has 6 rows but tracks.json has 2 tracks"));
  CHECK_THAT(all, Catch::Contains(users + ":1: field 'interests': expected an array of one or "
                                          "more track ids"));
  CHECK_THAT(all, Catch::Contains(users + ":3: user 1 appears twice (first on line 2)"));
  CHECK_THAT(all, Catch::Contains(users + ":4: field 'interests[0]'"));
  CHECK_THAT(all, Catch::Contains(users + ":5: field 'artist_discount_gamma'"));
  CHECK(r.problem_count == 10);
}

TEST_CASE("world check names missing, ambiguous and broken embeddings", "[engine][world]") {
  TempDir dir;
  WriteGoodWorld(dir);
  std::filesystem::rename(dir / "tracks.npy", dir / "embeddings.npy");
  CHECK(Check(dir).ok());  // the 2026 course's name
  FloatMatrix nan{6, 2, std::vector<float>(12, 1.0f)};
  nan.data[7] = std::nanf("");
  REQUIRE(WriteNpy(dir / "tracks.npy", nan).ok());
  world::WorldReport r = Check(dir);
  REQUIRE(r.problems.size() == 1);
  CHECK_THAT(r.problems[0].what, Catch::Contains("both tracks.npy and embeddings.npy"));
  // --embeddings picks one: the NaN is named by its row.
  world::WorldCheckOptions o;
  o.dir = dir.path().string();
  o.embeddings = dir / "tracks.npy";
  r = world::CheckWorld(o);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].where == dir / "tracks.npy" + ": row 3");
  std::filesystem::remove(dir / "tracks.npy");
  std::filesystem::remove(dir / "embeddings.npy");
  r = Check(dir);
  REQUIRE(r.problems.size() == 1);
  CHECK_THAT(r.problems[0].what,
             Catch::Contains("has no embeddings (tracks.npy or embeddings.npy)"));
  WriteFile(dir / "tracks.npy", "not numpy");
  r = Check(dir);
  REQUIRE(r.problems.size() == 1);
  CHECK_THAT(r.problems[0].what, Catch::Contains("magic"));
  // A file broken on every line keeps a bounded list and counts the rest.
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "{\"user\": " + std::to_string(i) + "}\n";
  WriteFile(dir / "users.json", lines);
  o.embeddings.clear();
  o.max_problems_per_file = 5;
  r = world::CheckWorld(o);
  CHECK(r.problem_count == 202);  // 200 users, "has no users", the broken tracks.npy
  CHECK(r.problems.size() == 6);
}

TEST_CASE("World::Load reads the 2026 layout and refuses non-finite embeddings",
          "[engine][world]") {
  TempDir dir;
  WriteGoodWorld(dir);
  std::filesystem::rename(dir / "tracks.npy", dir / "embeddings.npy");
  auto w = world::World::Load(dir.path().string());
  REQUIRE(w.ok());
  CHECK(w->users[1].interests.size() == 6);
  CHECK(w->users[1].consume_bias == 5.0);
  FloatMatrix inf{6, 2, std::vector<float>(12, 1.0f)};
  inf.data[11] = INFINITY;
  REQUIRE(WriteNpy(dir / "embeddings.npy", inf).ok());
  auto bad = world::World::Load(dir.path().string());
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("row 5"));
}
