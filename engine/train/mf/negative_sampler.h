// Negative sampling for the pairwise losses (LightFM's fit_warp / fit_bpr).
//
// WARP (LightFM's fit_warp): for a positive (u, i) with score s_i, draw up to
// max_sampled uniformly random items; every draw counts toward max_sampled, a positive of
// u included. The first draw j with score(u, j) > s_i - 1 that is not a positive of u
// stops the search with the loss weight log(max(1, floor((n_items - 1) / draws))),
// clipped at 10; a violating draw that is a positive of u is skipped (LightFM's
// in_positives check, made only for violators). After max_sampled draws without a
// violator there is no step.
//
// BPR (LightFM's fit_bpr): the negative is the first drawn candidate that is not a
// positive of u. LightFM draws a candidate as the item of a random entry of the
// interaction data (so in proportion to item popularity); BprSampler::kUniform draws it
// uniformly over the items instead. LightFM retries up to the number of interactions;
// here after kMaxPositiveRedraws retries the positive gets no step (only matters for a
// user who holds almost all the probability mass).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "base/random.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

inline constexpr int kMaxPositiveRedraws = 1000;
inline constexpr double kMaxWarpWeight = 10.0;

inline float WarpWeight(std::uint32_t n_items, int draws) {
  const double rank = std::floor(static_cast<double>(n_items - 1) / draws);
  return static_cast<float>(std::min(kMaxWarpWeight, std::log(std::max(1.0, rank))));
}

struct NegativeDraw {
  bool found = false;
  std::uint32_t item = 0;
  int draws = 0;        // draws made, positives of the user included
  float weight = 0.0f;  // the loss weight of the step; 0 when !found
};

// `draw()` returns a random item, `is_positive(j)` tells whether j is a positive of the
// user, `score(j)` is score(u, j).
template <typename DrawFn, typename IsPositiveFn, typename ScoreFn>
NegativeDraw FindWarpNegative(float positive_score, std::uint32_t n_items, int max_sampled,
                              DrawFn&& draw, IsPositiveFn&& is_positive, ScoreFn&& score) {
  NegativeDraw out;
  while (out.draws < max_sampled) {
    const std::uint32_t j = draw();
    ++out.draws;
    if (score(j) > positive_score - 1.0f && !is_positive(j)) {
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
    if (!is_positive(j)) return {true, j, redraws + 1, 0.0f};
  }
  return {};
}

// One BPR candidate: the item of a uniformly random entry of `train` (kInteractions) or a
// uniformly random item (kUniform). `train` must be non-empty for kInteractions.
inline std::uint32_t DrawBprCandidate(BprSampler sampler, const UserItemMatrix& train,
                                      std::uint32_t n_items, Rng& rng) {
  if (sampler == BprSampler::kInteractions) return train.items()[rng.Uniform(train.nnz())];
  return static_cast<std::uint32_t>(rng.Uniform(n_items));
}

// d/ds_i of -log sigmoid(s_i - s_j), negated: the BPR step's loss weight.
inline float BprWeight(float positive_score, float negative_score) {
  return 1.0f - 1.0f / (1.0f + std::exp(-(positive_score - negative_score)));
}

}  // namespace botify::train::mf
