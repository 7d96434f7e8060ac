#include "engine/train/mf/precision_at_k.h"

#include <catch2/catch.hpp>

using namespace botify::train::mf;

TEST_CASE("precision@k counts test hits among non-train items of users with test items",
          "[engine][mf][precision]") {
  // 3 users, 4 items. Popularity by train counts: item 0 (3), item 1 (2), 2 and 3 (0).
  const auto train = UserItemMatrix::FromPairs(3, {{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}});
  // User 0: top-2 excluding {0, 1} is {2, 3}: test {2} -> 1/2.
  // User 1: top-2 {2, 3}, test {} -> not counted.
  // User 2: top-2 excluding {0} is {1, 2}: test {1, 3} -> 1/2.
  const auto test = UserItemMatrix::FromPairs(3, {{0, 2}, {2, 1}, {2, 3}});
  const PrecisionAtK p = PopularityPrecisionAtK(train, test, 4, 2);
  CHECK(p.users == 2);
  CHECK(p.mean == Approx(0.5));
  CHECK(p.half_width == Approx(0.0));

  const std::vector<double> per_user = {0.0, 1.0};
  const PrecisionAtK s = SummarizePrecision(per_user);
  CHECK(s.mean == Approx(0.5));
  CHECK(s.half_width == Approx(1.96 * std::sqrt(0.5 / 2)));
}
