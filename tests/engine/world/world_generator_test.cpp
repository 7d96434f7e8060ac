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

namespace {

// Squared distance between two tracks' embeddings.
double Dist2(const FloatMatrix& embeddings, TrackId a, TrackId b) {
  double s = 0;
  for (std::size_t i = 0; i < embeddings.cols; ++i) {
    const double d = embeddings.row(a)[i] - embeddings.row(b)[i];
    s += d * d;
  }
  return s;
}

}  // namespace

TEST_CASE("tracks of one artist are closer than tracks of different artists", "[engine][world]") {
  auto w = world::GenerateWorld(world::WorldOptions::Small());
  REQUIRE(w.ok());
  auto dist2 = [&](TrackId a, TrackId b) { return Dist2(w->embeddings, a, b); };
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

TEST_CASE("a world over a real catalog keeps its tracks, artists and users", "[engine][world]") {
  // A catalog in shuffled line order, with single-track artists as real catalogs have.
  std::vector<catalog::TrackRecord> records;
  for (TrackId t = 0; t < 60; ++t) {
    const std::string artist =
        t < 30 ? "Band " + std::to_string(t % 3) : "Solo " + std::to_string(t);
    records.push_back({(t * 7) % 60, artist, "song " + std::to_string(t)});
  }
  auto catalog = catalog::Catalog::FromRecords(records);
  REQUIRE(catalog.ok());
  world::WorldOptions o = world::WorldOptions::Small();
  o.genres = 4;
  o.users = 25;
  world::User kept;
  kept.user = 99;
  kept.interests = {5, 6, 7, 8, 9};
  auto w = world::GenerateWorldOverCatalog(o, *catalog, {kept});
  REQUIRE(w.ok());
  CHECK(w->catalog.size() == 60);
  CHECK(w->catalog.artist_count() == 33);
  for (TrackId t = 0; t < 60; ++t) CHECK(w->catalog.artist_name(t) == catalog->artist_name(t));
  CHECK(w->embeddings.rows == 60);
  CHECK(w->embeddings.cols == o.dim);
  REQUIRE(w->users.size() == 1);
  CHECK(w->users[0].interests == kept.interests);
  // Without users they are generated; the same catalog and options give the same world.
  auto a = world::GenerateWorldOverCatalog(o, *catalog, {});
  auto b = world::GenerateWorldOverCatalog(o, *catalog, {});
  REQUIRE(a.ok());
  CHECK(a->users.size() == 25);
  CHECK(a->embeddings.data == b->embeddings.data);
  CHECK(a->embeddings.data == w->embeddings.data);
  // The geometry follows the catalog's artists: a band's tracks are closer together than
  // tracks of different artists.
  auto dist2 = [&](TrackId x, TrackId y) { return Dist2(a->embeddings, x, y); };
  double same = 0, other = 0;
  int same_n = 0, other_n = 0;
  for (ArtistId band = 0; band < a->catalog.artist_count(); ++band) {
    const auto tracks = a->catalog.tracks_of(band);
    if (tracks.size() < 2) continue;
    for (std::size_t i = 1; i < tracks.size(); ++i, ++same_n) same += dist2(tracks[0], tracks[i]);
    for (TrackId t = 0; t < 60; ++t) {
      if (a->catalog.artist_of(t) != band) other += dist2(tracks[0], t), ++other_n;
    }
  }
  REQUIRE(same_n == 27);
  CHECK(same / same_n < 0.5 * other / other_n);
  o.genres = 34;
  auto too_many = world::GenerateWorldOverCatalog(o, *catalog, {});
  REQUIRE_FALSE(too_many.ok());
  CHECK_THAT(too_many.status().message(), Catch::Contains("the catalog's artists (33)"));
}
