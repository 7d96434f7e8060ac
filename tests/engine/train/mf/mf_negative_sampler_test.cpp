#include "engine/train/mf/negative_sampler.h"

#include <catch2/catch.hpp>

#include <set>
#include <vector>

using namespace botify::train::mf;

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
  CHECK(d.item == 2);   // 5 violates but is a positive: skipped, yet counted (LightFM)
  CHECK(d.draws == 4);  // 4, 5, 1, 2
  CHECK(draws.taken == 4);
  CHECK(d.weight == Approx(std::log(25.0)));  // floor(100 / 4)
}

TEST_CASE("WARP counts draws that land on a positive toward max_sampled, as LightFM",
          "[engine][mf][warp]") {
  // Items 1 and 2 are positives (one violating, one not); 3 violates. With max_sampled 3
  // the three positive draws use up the budget before 3 is reached.
  const std::vector<float> score = {0.0f, 5.0f, -5.0f, 5.0f};
  auto search = [&](int max_sampled, ScriptedDraws* draws) {
    return FindWarpNegative(
        0.0f, 4, max_sampled, std::ref(*draws), [](std::uint32_t j) { return j == 1 || j == 2; },
        [&](std::uint32_t j) { return score[j]; });
  };
  ScriptedDraws draws{{1, 2, 1, 3}};
  CHECK_FALSE(search(3, &draws).found);
  CHECK(draws.taken == 3);
  ScriptedDraws again{{1, 2, 1, 3}};
  const NegativeDraw e = search(4, &again);
  REQUIRE(e.found);
  CHECK(e.item == 3);
  CHECK(e.draws == 4);
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
  CHECK(WarpWeight(11, 20) == 0.0f);              // floor -> 0, max(1, 0) = 1
  CHECK(WarpWeight(4'000'000'000u, 1) == 10.0f);  // log(4e9) > 10
}

TEST_CASE("a user with every item positive does not spin forever", "[engine][mf][warp]") {
  int calls = 0;
  auto draw = [&] {
    ++calls;
    return 0u;
  };
  const NegativeDraw d = FindWarpNegative(
      0.0f, 2, 10, draw, [](std::uint32_t) { return true; }, [](std::uint32_t) { return 0.0f; });
  CHECK_FALSE(d.found);
  CHECK(calls == 10);  // max_sampled
  calls = 0;
  CHECK_FALSE(FindBprNegative(draw, [](std::uint32_t) { return true; }).found);
  CHECK(calls == kMaxPositiveRedraws + 1);
}

namespace {

// Frequencies of BPR negatives of `user` over `n` draws.
std::vector<double> BprNegativeShares(BprSampler sampler, const UserItemMatrix& train,
                                      std::uint32_t n_items, std::uint32_t user, int n) {
  botify::Rng rng(42);
  std::vector<double> share(n_items, 0.0);
  for (int s = 0; s < n; ++s) {
    const NegativeDraw d =
        FindBprNegative([&] { return DrawBprCandidate(sampler, train, n_items, rng); },
                        [&](std::uint32_t j) { return train.Contains(user, j); });
    REQUIRE(d.found);
    share[d.item] += 1.0 / n;
  }
  return share;
}

}  // namespace

TEST_CASE("BPR negatives: LightFM's by popularity among non-positives, or uniform",
          "[engine][mf][bpr]") {
  // Train counts per item: 0:1, 1:3, 2:2, 3:1, 4:0 (7 entries). User 0 holds item 0.
  const UserItemMatrix train =
      UserItemMatrix::FromPairs(4, {{0, 0}, {1, 1}, {1, 2}, {2, 1}, {2, 2}, {2, 3}, {3, 1}});
  const int n = 60000;
  const auto popular = BprNegativeShares(BprSampler::kInteractions, train, 5, 0, n);
  CHECK(popular[0] == 0.0);  // a positive of the user
  CHECK(popular[1] == Approx(3.0 / 6).margin(0.01));
  CHECK(popular[2] == Approx(2.0 / 6).margin(0.01));
  CHECK(popular[3] == Approx(1.0 / 6).margin(0.01));
  CHECK(popular[4] == 0.0);  // never interacted with: never drawn
  const auto uniform = BprNegativeShares(BprSampler::kUniform, train, 5, 0, n);
  CHECK(uniform[0] == 0.0);
  for (int j = 1; j < 5; ++j) CHECK(uniform[j] == Approx(0.25).margin(0.01));
}
