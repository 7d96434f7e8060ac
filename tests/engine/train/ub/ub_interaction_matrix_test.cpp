#include <catch2/catch.hpp>

#include "engine/train/ub/interaction_matrix.h"

using namespace botify;
using namespace botify::train::ub;

TEST_CASE("R holds the mean normalized time per (user, track), ids mapped densely",
          "[engine][ub]") {
  InteractionMatrixBuilder b;
  b.Add(7, 30, 1.0);
  b.Add(7, 30, 0.2);
  b.Add(7, 10, 0.0);
  b.Add(7, 20, 0.6);  // user 7: mean time 0.45
  b.Add(3, 20, 0.5);  // user 3: a single row, normalized to 0
  InteractionMatrix m = b.Build();
  REQUIRE(m.users == std::vector<UserId>{3, 7});
  REQUIRE(m.tracks == std::vector<TrackId>{10, 20, 30});
  REQUIRE(m.num_entries() == 4);
  // user 3: track 20 -> 0
  CHECK(m.RowTracks(0)[0] == 1);
  CHECK(m.RowValues(0)[0] == 0.0);
  CHECK(m.row_norms[0] == 0.0);
  // user 7: tracks 10, 20, 30 -> -0.45, 0.15, mean(0.55, -0.25) = 0.15
  const auto tracks = m.RowTracks(1);
  const auto values = m.RowValues(1);
  REQUIRE(tracks.size() == 3);
  CHECK(tracks[0] == 0);
  CHECK(values[0] == Approx(-0.45).margin(1e-15));
  CHECK(values[1] == Approx(0.15).margin(1e-15));
  CHECK(values[2] == Approx(0.15).margin(1e-15));
  CHECK(m.row_norms[1] == Approx(std::sqrt(0.45 * 0.45 + 2 * 0.15 * 0.15)));
  // CSC: track 20 has users 3 then 7.
  REQUIRE(m.col_offsets[2] - m.col_offsets[1] == 2);
  CHECK(m.col_users[m.col_offsets[1]] == 0);
  CHECK(m.col_users[m.col_offsets[1] + 1] == 1);
  CHECK(m.col_values[m.col_offsets[1] + 1] == values[1]);
}

TEST_CASE("an empty builder gives an empty matrix", "[engine][ub]") {
  InteractionMatrixBuilder b;
  InteractionMatrix m = b.Build();
  CHECK(m.num_users() == 0);
  CHECK(m.num_tracks() == 0);
  CHECK(m.row_offsets.size() == 1);
  CHECK(m.col_offsets.size() == 1);
}

// Found with pandas 1.5 (the reference's groupby means are Kahan-compensated): a track
// played 11 times at 0.05 and one played once at 0.05 have the same R value there, while
// plain summation put them 2 ulp apart, so the tie between them flipped in the lists.
TEST_CASE("equal means of differently many rows are exactly equal, as in pandas", "[engine][ub]") {
  InteractionMatrixBuilder b;
  for (int i = 0; i < 11; ++i) b.Add(7, 20, 0.05);
  b.Add(7, 10, 0.05);
  b.Add(7, 30, 0.75);
  InteractionMatrix m = b.Build();
  const auto values = m.RowValues(0);
  REQUIRE(values.size() == 3);
  CHECK(values[0] == values[1]);
  CHECK(values[0] == -0.05384615384615385);  // pandas' value, printed with repr()
}

TEST_CASE("the user's mean runs over rows in file order, not track order", "[engine][ub]") {
  // Compensated sums still depend on the order: in file order the mean of 0.05, 0.2, 0.05
  // is 0.09999999999999999, in track order 0.10000000000000002. pandas sums in file order.
  InteractionMatrixBuilder b;
  b.Add(1, 3, 0.05);
  b.Add(1, 6, 0.2);
  b.Add(1, 1, 0.05);
  InteractionMatrix m = b.Build();
  const auto values = m.RowValues(0);
  REQUIRE(values.size() == 3);
  // pandas: [-0.04999999999999999, -0.04999999999999999, 0.10000000000000002]
  CHECK(values[0] == -0.04999999999999999);
  CHECK(values[1] == -0.04999999999999999);
  CHECK(values[2] == 0.10000000000000002);
}
