#include "engine/sim/neighbour_index.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

using namespace botify;
using namespace botify::sim;

namespace {

FloatMatrix RandomEmbeddings(std::size_t rows, std::size_t cols, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  FloatMatrix m{rows, cols, std::vector<float>(rows * cols)};
  for (float& x : m.data) x = normal(rng);
  return m;
}

// "" when `list` is the double-precision ranking of every track by dot(emb[query], emb[t])
// (descending, ties to the lower id) up to near-ties: at every position, the two tracks'
// scores differ by no more than the rounding bound of a float sum of their products.
std::string SameUpToNearTies(const FloatMatrix& m, TrackId query, std::span<const TrackId> list) {
  const auto q = m.row(query);
  std::vector<double> score(m.rows), bound(m.rows);
  for (std::size_t t = 0; t < m.rows; ++t) {
    const auto x = m.row(t);
    double s = 0, a = 0;
    for (std::size_t j = 0; j < m.cols; ++j) {
      s += double{q[j]} * x[j];
      a += std::abs(double{q[j]} * x[j]);
    }
    score[t] = s;
    bound[t] = 2.0 * static_cast<double>(m.cols) * std::numeric_limits<float>::epsilon() * a;
  }
  std::vector<TrackId> order(m.rows);
  std::iota(order.begin(), order.end(), TrackId{0});
  std::sort(order.begin(), order.end(), [&](TrackId a, TrackId b) {
    return score[a] > score[b] || (score[a] == score[b] && a < b);
  });
  const std::size_t want = std::min<std::size_t>(list.size(), m.rows);
  for (std::size_t i = 0; i < want; ++i) {
    const TrackId a = list[i], b = order[i];
    if (std::abs(score[a] - score[b]) > bound[a] + bound[b]) {
      return "position " + std::to_string(i) + ": " + std::to_string(a) + " vs " +
             std::to_string(b);
    }
  }
  return "";
}

}  // namespace

TEST_CASE("the simulator's neighbour lists are the exact ranking, whichever batch computes them",
          "[engine][sim][neighbours]") {
  const FloatMatrix m = RandomEmbeddings(700, 12, 7);
  const std::size_t depth = 40;
  std::vector<TrackId> all(m.rows);
  std::iota(all.begin(), all.end(), TrackId{0});
  std::vector<TrackId> shuffled = all;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
  // alone: every miss computes one list; batched: each miss takes up to 127 of the likely
  // tracks with it (in another order and other company than `alone`'s).
  NeighbourIndex alone(m, depth);
  NeighbourIndex batched(m, depth, shuffled);
  const std::vector<TrackId> some(shuffled.begin(), shuffled.begin() + 300);
  NeighbourIndex partly(m, depth, some);

  (void)batched.Nearest(shuffled.back());
  CHECK(batched.cached() == 128);  // the asked track and 127 likely ones
  (void)alone.Nearest(0);
  CHECK(alone.cached() == 1);

  for (const TrackId t : shuffled) {
    INFO("track " << t);
    const auto a = alone.Nearest(t);
    REQUIRE(a.size() == depth);
    REQUIRE(SameUpToNearTies(m, t, a) == "");
    // The same scores in any batch (block_rows.h pads every block alike): equal lists.
    const auto b = batched.Nearest(t);
    REQUIRE(std::vector<TrackId>(b.begin(), b.end()) == std::vector<TrackId>(a.begin(), a.end()));
    const auto c = partly.Nearest(t);
    REQUIRE(std::vector<TrackId>(c.begin(), c.end()) == std::vector<TrackId>(a.begin(), a.end()));
    // ExactTopK (one query, for a few) agrees too.
    CHECK(ExactTopK(m, m.row(t), depth) == std::vector<TrackId>(a.begin(), a.end()));
  }
  CHECK(batched.cached() == m.rows);
  // depth is clamped to the tracks.
  NeighbourIndex deep(m, 1000);
  CHECK(deep.Nearest(5).size() == m.rows);
}
