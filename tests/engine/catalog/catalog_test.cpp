#include "engine/catalog/catalog.h"

#include <catch2/catch.hpp>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::TempDir;
using botify::testing::WriteFile;

// The original simulator reads "track" and "artist" only; course catalogs carry more
// (the 2026 course: genres, year, mood, ...). botify reads what the original reads.
TEST_CASE("tracks.json lines need track and artist; title and other fields are optional",
          "[engine][catalog]") {
  auto full =
      catalog::ParseTrackLine(R"({"artist": "Jack Johnson", "title": "The Cove", "track": 0})");
  REQUIRE(full.ok());
  CHECK(full->title == "The Cove");
  auto bare = catalog::ParseTrackLine(
      R"({"track": 7, "artist": "X", "genres": ["rock"], "year": 1999, "artist_id": 3})");
  REQUIRE(bare.ok());
  CHECK(bare->track == 7);
  CHECK(bare->artist == "X");
  CHECK(bare->title.empty());
  CHECK_THAT(catalog::ParseTrackLine(R"({"track": 7})").status().message(),
             Catch::Contains("'artist'"));
  CHECK_THAT(
      catalog::ParseTrackLine(R"({"track": 7, "artist": "X", "title": 5})").status().message(),
      Catch::Contains("'title'"));
  CHECK_FALSE(catalog::ParseTrackLine(R"({"track": -1, "artist": "X"})").ok());
}

TEST_CASE("a catalog loads from lines in any order and names the bad line", "[engine][catalog]") {
  TempDir dir;
  WriteFile(dir / "tracks.json",
            "{\"track\": 1, \"artist\": \"B\"}\n\n{\"track\": 0, \"artist\": \"A\", \"title\": "
            "\"a\"}\n");
  auto c = catalog::Catalog::LoadJsonLines(dir / "tracks.json");
  REQUIRE(c.ok());
  CHECK(c->size() == 2);
  CHECK(c->artist_name(0) == "A");
  CHECK(c->title(1).empty());
  WriteFile(dir / "tracks.json", "{\"track\": 0, \"artist\": \"A\"}\n{\"track\": 1}\n");
  auto bad = catalog::Catalog::LoadJsonLines(dir / "tracks.json");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("tracks.json:2"));
}
