#include "engine/train/top/play_counts.h"

#include <catch2/catch.hpp>

using namespace botify;

TEST_CASE("play counts rank by plays, ties by track id", "[engine][toppop]") {
  train::top::PlayCounts counts;
  eventlog::Event e;
  for (TrackId t : {5, 3, 5, 9, 3, 5, 7, 7}) {
    e.track = t;
    counts.Add(e);
  }
  CHECK(counts.Top(10) == std::vector<TrackId>{5, 3, 7, 9});
  CHECK(counts.Top(2) == std::vector<TrackId>{5, 3});
  CHECK(counts.distinct_tracks() == 4);
  CHECK(train::top::PlayCounts().Top(3).empty());
}
