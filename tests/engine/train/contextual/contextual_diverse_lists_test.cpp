#include <catch2/catch.hpp>
#include <vector>

#include "engine/train/contextual/diverse_lists.h"

using namespace botify;
using botify::train::contextual::DiverseList;
using botify::train::contextual::DiverseOptions;

TEST_CASE("diverse lists: one track per artist first, the context's artist avoided, then fill",
          "[engine][contextual]") {
  // Tracks 10..15 by artists A=0, A, B=1, C=2, B, D=3.
  std::vector<ArtistId> artist_of(16, 9);
  artist_of[10] = 0;
  artist_of[11] = 0;
  artist_of[12] = 1;
  artist_of[13] = 2;
  artist_of[14] = 1;
  artist_of[15] = 3;
  const std::vector<TrackId> ranked = {10, 11, 12, 13, 14, 15};
  const ArtistId context_artist = 2;

  CHECK(DiverseList(ranked, artist_of, &context_artist, {5, 5}) ==
        std::vector<TrackId>{10, 12, 15, 11, 13});
  CHECK(DiverseList(ranked, artist_of, &context_artist, {5, 2}) ==
        std::vector<TrackId>{10, 12, 11, 13, 14});
  CHECK(DiverseList(ranked, artist_of, nullptr, {5, 5}) ==
        std::vector<TrackId>{10, 12, 13, 15, 11});
  CHECK(DiverseList(ranked, artist_of, nullptr, {10, 10}) ==
        std::vector<TrackId>{10, 12, 13, 15, 11, 14});
  // Depth 0 is the plain ranking.
  CHECK(DiverseList(ranked, artist_of, &context_artist, {3, 0}) ==
        std::vector<TrackId>{10, 11, 12});
}
