#include "engine/world/world_generator.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::ReadFile;
using botify::testing::TempDir;

TEST_CASE("world generation is byte-for-byte deterministic from the seed", "[engine][world]") {
  TempDir dir;
  world::WorldOptions o = world::WorldOptions::Small();
  REQUIRE(world::GenerateWorld(o)->Write(dir / "a").ok());
  REQUIRE(world::GenerateWorld(o)->Write(dir / "b").ok());
  o.seed = 43;
  REQUIRE(world::GenerateWorld(o)->Write(dir / "c").ok());
  for (const char* f : {world::kTracksJson, world::kTracksNpy, world::kUsersJson}) {
    CHECK(ReadFile(dir / "a" + "/" + f) == ReadFile(dir / "b" + "/" + f));
    CHECK(ReadFile(dir / "a" + "/" + f) != ReadFile(dir / "c" + "/" + f));
  }
}

TEST_CASE("generated world has the requested shape and the original's distributions",
          "[engine][world]") {
  TempDir dir;
  const world::WorldOptions o = world::WorldOptions::Small();
  REQUIRE(world::GenerateWorld(o)->Write(dir.path().string()).ok());
  auto w = world::World::Load(dir.path().string());
  REQUIRE(w.ok());
  CHECK(w->catalog.size() == o.tracks);
  CHECK(w->catalog.artist_count() == o.artists);
  CHECK(w->embeddings.rows == o.tracks);
  CHECK(w->embeddings.cols == o.dim);
  REQUIRE(w->users.size() == o.users);
  for (const world::User& u : w->users) {
    CHECK((u.consume_bias >= 0 && u.consume_bias < 10));
    CHECK((u.consume_sharpness >= 0.5 && u.consume_sharpness < 2));
  }
  // Popularity is skewed: the largest artist has far more tracks than the mean (10).
  std::size_t largest = 0;
  for (ArtistId a = 0; a < w->catalog.artist_count(); ++a) {
    largest = std::max(largest, w->catalog.tracks_of(a).size());
  }
  CHECK(largest > 50);
}

TEST_CASE("tracks of one artist are closer than tracks of different artists", "[engine][world]") {
  auto w = world::GenerateWorld(world::WorldOptions::Small());
  REQUIRE(w.ok());
  auto dist2 = [&](TrackId a, TrackId b) {
    double s = 0;
    for (std::size_t i = 0; i < w->embeddings.cols; ++i) {
      const double d = w->embeddings.row(a)[i] - w->embeddings.row(b)[i];
      s += d * d;
    }
    return s;
  };
  double same = 0, other = 0;
  int n = 0;
  for (ArtistId a = 0; a + 1 < w->catalog.artist_count(); ++a) {
    auto tracks = w->catalog.tracks_of(a);
    if (tracks.size() < 2) continue;
    same += dist2(tracks[0], tracks[1]);
    other += dist2(tracks[0], w->catalog.tracks_of(a + 1)[0]);
    ++n;
  }
  REQUIRE(n > 10);
  CHECK(same / n < 0.5 * other / n);
}

TEST_CASE("world options are validated", "[engine][world]") {
  world::WorldOptions o = world::WorldOptions::Small();
  o.artists = o.tracks + 1;
  CHECK_FALSE(o.Validate().ok());
  o = world::WorldOptions::Small();
  o.track_scale = -1;
  CHECK_FALSE(world::GenerateWorld(o).ok());
  CHECK_FALSE(world::WorldOptions::Preset("huge").ok());
  CHECK(world::WorldOptions::Preset("small")->tracks == 2000);
}

namespace {

std::uint64_t Fnv1a(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace

TEST_CASE("the small world's files are byte-identical to those before drifting worlds",
          "[engine][world]") {
  // Checksums of the files main wrote before issue 18 (same options and seed): adding the
  // optional drift must leave every existing world, and so every existing number, as it was.
  TempDir dir;
  REQUIRE(world::GenerateWorld(world::WorldOptions::Small())->Write(dir.path().string()).ok());
  CHECK(Fnv1a(ReadFile(dir / world::kTracksJson)) == 0x32273abaeb439b3cULL);
  CHECK(Fnv1a(ReadFile(dir / world::kTracksNpy)) == 0x3a46803dca3f4e7fULL);
  CHECK(Fnv1a(ReadFile(dir / world::kUsersJson)) == 0x53a11c34bc0684d7ULL);
}
