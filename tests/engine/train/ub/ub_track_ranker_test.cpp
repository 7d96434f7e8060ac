#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "base/random.h"
#include "engine/train/ub/track_ranker.h"

using namespace botify;
using namespace botify::train::ub;

TEST_CASE("track ranker keeps the k best by score then id, across compactions", "[engine][ub]") {
  Rng rng(5);
  const std::size_t n = 5000;  // several compactions of the candidate buffer
  InteractionMatrix m;
  for (std::size_t t = 0; t < n; ++t) m.tracks.push_back(static_cast<TrackId>(10 * t + 3));
  std::vector<double> score(n);
  // Few distinct values: many ties, zeros of both signs, negatives and NaN (excluded).
  const double values[] = {0.5, 0.25, 0.0, -0.0, -0.25, std::nan("")};
  for (auto& s : score) s = values[rng.Uniform(6)];
  for (std::size_t k : {1, 7, 100, 2000, 6000}) {
    TrackRanker ranker;
    ranker.Reset(k);
    for (std::uint32_t t = 0; t < n; ++t) ranker.Offer(score[t], t);
    UserList got;
    ranker.Drain(m, &got);

    std::vector<std::uint32_t> order;
    for (std::uint32_t t = 0; t < n; ++t) {
      if (!std::isnan(score[t])) order.push_back(t);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return score[a] > score[b]; });
    order.resize(std::min(k, order.size()));
    std::vector<TrackId> want;
    for (auto t : order) want.push_back(m.tracks[t]);
    INFO("k = " << k);
    CHECK(got.tracks == want);
    REQUIRE(got.scores.size() == want.size());
    for (std::size_t i = 0; i < order.size(); ++i) CHECK(got.scores[i] == score[order[i]]);
  }
}
