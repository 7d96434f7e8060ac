// Hyperparameter search over the seminar's grid (SPEC §10): loss {warp, bpr},
// no_components {10, 30, 50}, learning_rate {0.0001, 0.001, 0.01}, max_sampled
// {10, 20, 50, 100}, user_alpha {0, 0.0001}, item_alpha {0, 0.0001}; 288 points.
//
// Samplers (both draw `trials` distinct grid points with a seeded shuffle):
//   random   each point trains up to `epochs` epochs with early stopping; its score is
//            the best epoch's precision@k.
//   halving  successive halving: all points train a first short budget, the better half
//            (rounded up) goes on training where it stopped, and so on; the last rung has
//            trained `epochs` epochs. Each point's score is the precision@k at the end
//            of the last rung it reached; the best is chosen among the last rung's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/train/mf/interaction_split.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/precision_at_k.h"

namespace botify::mf {

enum class SearchSampler { kRandom, kHalving };
Result<SearchSampler> ParseSearchSampler(std::string_view name);

// The grid; At(i) sets the six grid fields of `base`.
struct SearchGrid {
  std::vector<MfLoss> losses = {MfLoss::kWarp, MfLoss::kBpr};
  std::vector<int> no_components = {10, 30, 50};
  std::vector<double> learning_rates = {0.0001, 0.001, 0.01};
  std::vector<int> max_sampled = {10, 20, 50, 100};
  std::vector<double> user_alphas = {0.0, 0.0001};
  std::vector<double> item_alphas = {0.0, 0.0001};

  std::size_t size() const;
  MfOptions At(std::size_t index, const MfOptions& base) const;
};

struct SearchOptions {
  int trials = 20;                          // grid points to try (at most the grid size)
  SearchSampler sampler = SearchSampler::kRandom;
  int epochs = 5;                           // per trial (random) / last rung (halving)
  MfOptions base;                           // threads, seed, k, patience, schedule...
  SearchGrid grid;
  Status Validate() const;
};

struct TrialResult {
  int trial = 0;      // 1-based, in sampling order
  MfOptions params;
  int epochs = 0;     // epochs trained
  int rung = 0;       // halving: last rung reached (0-based); random: 0
  PrecisionAtK precision;
  double seconds = 0.0;  // training and evaluation time
};

struct SearchResult {
  std::vector<TrialResult> trials;  // in trial order
  std::size_t best = 0;             // index into trials
};

// Called when a trial (random) or a rung of a trial (halving) finishes.
using TrialProgress = std::function<void(const TrialResult&)>;

Result<SearchResult> RunSearch(const InteractionSplit& split, const SearchOptions& options,
                               const TrialProgress& progress = {});

// Markdown table, best first: trial, params, epochs, precision@k with its interval, time.
std::string SearchResultsMarkdown(const SearchResult& result, int k);

}  // namespace botify::mf
