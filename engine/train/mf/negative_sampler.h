// Negative sampling for the pairwise losses (LightFM's fit_warp / fit_bpr).
//
// WARP: for a positive (u, i) with score s_i, draw random items; a draw that is a
// positive of u is redrawn and not counted (as LightFM's in_positives check does); the
// first counted draw j with score(u, j) > s_i - 1 stops the search and gives the loss
// weight log(max(1, floor((n_items - 1) / draws))), clipped at 10. After max_sampled
// counted draws without a violator there is no step.
//
// BPR: the first drawn item that is not a positive of u.
//
// LightFM redraws positives forever; a user who has (almost) every item as a positive
// would spin, so both stop after kMaxPositiveRedraws redraws.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace botify::mf {

inline constexpr int kMaxPositiveRedraws = 1000;
inline constexpr double kMaxWarpWeight = 10.0;

inline float WarpWeight(std::uint32_t n_items, int draws) {
  const double rank = std::floor(static_cast<double>(n_items - 1) / draws);
  return static_cast<float>(std::min(kMaxWarpWeight, std::log(std::max(1.0, rank))));
}

struct NegativeDraw {
  bool found = false;
  std::uint32_t item = 0;
  int draws = 0;       // counted (non-positive) draws
  float weight = 0.0f; // the loss weight of the step; 0 when !found
};

// `draw()` returns a random item, `is_positive(j)` tells whether j is a positive of the
// user, `score(j)` is score(u, j).
template <typename DrawFn, typename IsPositiveFn, typename ScoreFn>
NegativeDraw FindWarpNegative(float positive_score, std::uint32_t n_items, int max_sampled,
                              DrawFn&& draw, IsPositiveFn&& is_positive, ScoreFn&& score) {
  NegativeDraw out;
  int redraws = 0;
  while (out.draws < max_sampled) {
    const std::uint32_t j = draw();
    if (is_positive(j)) {
      if (++redraws > kMaxPositiveRedraws) break;
      continue;
    }
    ++out.draws;
    if (score(j) > positive_score - 1.0f) {
      out.found = true;
      out.item = j;
      out.weight = WarpWeight(n_items, out.draws);
      return out;
    }
  }
  return out;
}

template <typename DrawFn, typename IsPositiveFn>
NegativeDraw FindBprNegative(DrawFn&& draw, IsPositiveFn&& is_positive) {
  for (int redraws = 0; redraws <= kMaxPositiveRedraws; ++redraws) {
    const std::uint32_t j = draw();
    if (!is_positive(j)) return {true, j, 1, 0.0f};
  }
  return {};
}

// d/ds_i of -log sigmoid(s_i - s_j), negated: the BPR step's loss weight.
inline float BprWeight(float positive_score, float negative_score) {
  return 1.0f - 1.0f / (1.0f + std::exp(-(positive_score - negative_score)));
}

}  // namespace botify::mf
