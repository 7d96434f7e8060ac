// The drifting world (engine/world/appeal_drift.h): deterministic from its seed, its
// files round-trip, and a world without drift is exactly the world as before.
#include "engine/world/appeal_drift.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "engine/world/world_generator.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::ReadFile;
using botify::testing::TempDir;

TEST_CASE("the drifting world is byte-for-byte deterministic from its seed", "[engine][world]") {
  TempDir dir;
  world::AppealDriftOptions o;
  for (const char* d : {"a", "b", "c"}) std::filesystem::create_directories(dir / d);
  REQUIRE(world::AppealDrift::Generate(o, 500).Write(dir / "a").ok());
  REQUIRE(world::AppealDrift::Generate(o, 500).Write(dir / "b").ok());
  o.seed = 43;
  REQUIRE(world::AppealDrift::Generate(o, 500).Write(dir / "c").ok());
  CHECK(ReadFile(dir / "a" + "/" + world::kDriftNpy) ==
        ReadFile(dir / "b" + "/" + world::kDriftNpy));
  CHECK(ReadFile(dir / "a" + "/" + world::kDriftJson) ==
        ReadFile(dir / "b" + "/" + world::kDriftJson));
  CHECK(ReadFile(dir / "a" + "/" + world::kDriftNpy) !=
        ReadFile(dir / "c" + "/" + world::kDriftNpy));
}

TEST_CASE("drift: trends grow with the days, releases rise and fade", "[engine][world]") {
  world::AppealDriftOptions o;
  o.release_share = 0.1;
  const world::AppealDrift drift = world::AppealDrift::Generate(o, 2000);
  std::size_t releases = 0;
  double trend_sq = 0;
  for (TrackId t = 0; t < 2000; ++t) {
    CHECK(drift.Offset(t, 0.0) == 0.0);  // day 0: the static world, releases not out yet
    const double slope = drift.Offset(t, 1.0) - drift.Offset(t, 0.0);
    // A release shows as a jump above its linear trend somewhere in the window.
    double above = 0;
    for (double day = 0; day < 8; day += 0.25) {
      above = std::max(above, drift.Offset(t, day) - slope * day);
    }
    if (above > 1.0) ++releases;
    trend_sq += (drift.Offset(t, 10.0) - drift.Offset(t, 9.0)) *
                (drift.Offset(t, 10.0) - drift.Offset(t, 9.0));
  }
  CHECK(releases > 120);
  CHECK(releases < 280);
  CHECK(std::sqrt(trend_sq / 2000) == Approx(o.trend_scale).epsilon(0.1));
}

TEST_CASE("drift files round-trip; a world without them has no drift", "[engine][world]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "w");
  auto none = world::AppealDrift::Load(dir / "w", 300);
  REQUIRE(none.ok());
  CHECK(!none->has_value());
  const world::AppealDrift drift = world::AppealDrift::Generate(world::AppealDriftOptions{}, 300);
  REQUIRE(drift.Write(dir / "w").ok());
  auto loaded = world::AppealDrift::Load(dir / "w", 300);
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  for (TrackId t = 0; t < 300; ++t) CHECK((*loaded)->Offset(t, 2.5) == drift.Offset(t, 2.5));
  auto wrong = world::AppealDrift::Load(dir / "w", 301);
  CHECK_THAT(wrong.status().message(), Catch::Contains("'tracks' is 300 but the catalog has 301"));
  std::filesystem::remove(dir / "w" + "/" + world::kDriftNpy);
  CHECK_THAT(world::AppealDrift::Load(dir / "w", 300).status().message(),
             Catch::Contains("needs both drift.json and drift.npy"));
}

TEST_CASE("drift off: the world's files are byte-identical to the static world's",
          "[engine][world]") {
  // The same world written with and without its drift next to it: the original's three
  // files do not change, so the original simulator reads a drifting world as it reads
  // today's (and ignores drift.json / drift.npy).
  TempDir dir;
  const world::WorldOptions o = world::WorldOptions::Small();
  REQUIRE(world::GenerateWorld(o)->Write(dir / "plain").ok());
  REQUIRE(world::GenerateWorld(o)->Write(dir / "drift").ok());
  world::AppealDriftOptions d;
  d.seed = o.seed;
  REQUIRE(world::AppealDrift::Generate(d, o.tracks).Write(dir / "drift").ok());
  for (const char* f : {world::kTracksJson, world::kTracksNpy, world::kUsersJson}) {
    CHECK(ReadFile(dir / "plain" + "/" + f) == ReadFile(dir / "drift" + "/" + f));
  }
  CHECK(!std::filesystem::exists(dir / "plain" + "/" + world::kDriftJson));
}
