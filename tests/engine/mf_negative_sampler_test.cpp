#include "engine/train/mf/negative_sampler.h"

#include <catch2/catch.hpp>

#include <set>
#include <vector>

using namespace botify::mf;

namespace {

// Draws from a fixed script and records how many were taken.
struct ScriptedDraws {
  std::vector<std::uint32_t> script;
  std::size_t taken = 0;
  std::uint32_t operator()() { return script.at(taken++); }
};

}  // namespace

TEST_CASE("WARP stops at the first violating non-positive and weighs by its draw count",
          "[engine][mf][warp]") {
  // Item scores: the positive scores 1.0; a violator scores > 0.0.
  const std::vector<float> score = {1.0f, -1.0f, 0.5f, 0.9f, -3.0f, 2.0f};
  const std::set<std::uint32_t> positives = {0, 5};
  ScriptedDraws draws{{4, 5, 1, 2, 3}};
  const NegativeDraw d = FindWarpNegative(
      score[0], 101, 10, std::ref(draws), [&](std::uint32_t j) { return positives.count(j) > 0; },
      [&](std::uint32_t j) { return score[j]; });
  REQUIRE(d.found);
  CHECK(d.item == 2);    // 5 violates but is a positive: redrawn, not counted
  CHECK(d.draws == 3);   // 4, 1, 2
  CHECK(draws.taken == 4);
  CHECK(d.weight == Approx(std::log(33.0)));  // floor(100 / 3)
}

TEST_CASE("WARP gives up after max_sampled counted draws", "[engine][mf][warp]") {
  ScriptedDraws draws{{1, 2, 1, 2, 1}};
  const NegativeDraw d = FindWarpNegative(
      5.0f, 3, 3, std::ref(draws), [](std::uint32_t) { return false; },
      [](std::uint32_t) { return 0.0f; });
  CHECK_FALSE(d.found);
  CHECK(draws.taken == 3);
}

TEST_CASE("WARP weight is log(floor((n-1)/draws)) clipped to [0, 10]", "[engine][mf][warp]") {
  CHECK(WarpWeight(11, 1) == Approx(std::log(10.0)));
  CHECK(WarpWeight(11, 4) == Approx(std::log(2.0)));
  CHECK(WarpWeight(11, 10) == 0.0f);
  CHECK(WarpWeight(11, 20) == 0.0f);            // floor -> 0, max(1, 0) = 1
  CHECK(WarpWeight(4'000'000'000u, 1) == 10.0f);  // log(4e9) > 10
}

TEST_CASE("a user with every item positive does not spin forever", "[engine][mf][warp]") {
  int calls = 0;
  auto draw = [&] { ++calls; return 0u; };
  const NegativeDraw d = FindWarpNegative(
      0.0f, 2, 10, draw, [](std::uint32_t) { return true; }, [](std::uint32_t) { return 0.0f; });
  CHECK_FALSE(d.found);
  CHECK(calls == kMaxPositiveRedraws + 1);
  CHECK_FALSE(FindBprNegative(draw, [](std::uint32_t) { return true; }).found);
}
