// Hyperparameter search over the seminar's grid (docs/contracts.md §10): loss {warp, bpr},
// no_components {10, 30, 50}, learning_rate {0.0001, 0.001, 0.01}, max_sampled
// {10, 20, 50, 100}, user_alpha {0, 0.0001}, item_alpha {0, 0.0001}; 288 points. Beyond
// the seminar, the item bias form (static, binned, drift: time_bias.h) can be a categorical
// choice too; by default it is {static} alone, so the grid and every sampled point stay
// the seminar's.
//
// Every trial is evaluated after each of its epochs (its learning curve, kept in the
// result) and is scored by its best epoch so far, so a trial whose last epoch dipped is
// not ranked below its own earlier state.
//
// Samplers (both draw `trials` distinct grid points with a seeded shuffle):
//   random   each point trains up to `epochs` epochs with early stopping (the base
//            options' patience, counted from their min_epochs on).
//   halving  successive halving with eta 2 (Hyperband's promotion rule): rung r trains
//            every live point to budget_r epochs, keeps the better half (rounded up) and
//            resumes their training in rung r + 1. Budgets double from rung to rung and
//            end at `epochs`; the first is at least `first_rung_epochs`, so there are
//            fewer rungs (and more survivors at the end) when the budget is short. Every
//            rung trains something new. The best is chosen among the last rung's points.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/train/mf/interaction_split.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/precision_at_k.h"

namespace botify::train::mf {

enum class SearchSampler { kRandom, kHalving };
Result<SearchSampler> ParseSearchSampler(std::string_view name);

// The grid; At(i) sets the grid fields of `base`.
struct SearchGrid {
  std::vector<MfLoss> losses = {MfLoss::kWarp, MfLoss::kBpr};
  std::vector<int> no_components = {10, 30, 50};
  std::vector<double> learning_rates = {0.0001, 0.001, 0.01};
  std::vector<int> max_sampled = {10, 20, 50, 100};
  std::vector<double> user_alphas = {0.0, 0.0001};
  std::vector<double> item_alphas = {0.0, 0.0001};
  std::vector<ItemBiasForm> item_biases = {ItemBiasForm::kStatic};

  std::size_t size() const;
  MfOptions At(std::size_t index, const MfOptions& base) const;
};

struct SearchOptions {
  int trials = 20;  // grid points to try (at most the grid size)
  SearchSampler sampler = SearchSampler::kRandom;
  int epochs = 16;  // per trial (random) / last rung (halving)
  // halving: the least epochs of the first rung. Default 2: after one epoch most points
  // still sit at the popularity baseline and the ranking is noise.
  int first_rung_epochs = 2;
  MfOptions base;  // threads, seed, k, patience, schedule...
  SearchGrid grid;
  Status Validate() const;
};

// halving: epochs trained by the end of each rung for `trials` points and a last rung of
// `epochs` (see above); strictly increasing, last == epochs.
std::vector<int> HalvingRungBudgets(int epochs, int first_rung_epochs, std::size_t trials);

struct TrialResult {
  int trial = 0;  // 1-based, in sampling order
  MfOptions params;
  int epochs = 0;             // epochs trained
  int rung = 0;               // halving: last rung reached (0-based); random: 0
  int best_epoch = 0;         // 1-based epoch of `precision`; 0 before the first epoch
  PrecisionAtK precision;     // of the best epoch so far
  std::vector<double> curve;  // precision@k after each epoch trained
  double seconds = 0.0;       // training and evaluation time
};

struct SearchResult {
  std::vector<TrialResult> trials;  // in trial order
  std::size_t best = 0;             // index into trials
};

// Called when a trial (random) or a rung of a trial (halving) finishes.
using TrialProgress = std::function<void(const TrialResult&)>;

Result<SearchResult> RunSearch(const InteractionSplit& split, const SearchOptions& options,
                               const TrialProgress& progress = {});

}  // namespace botify::train::mf
