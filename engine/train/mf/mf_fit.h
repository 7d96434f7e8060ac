// The training loop: epochs of MfTrainer, precision@k on test after each, early stopping
// when `patience` epochs in a row bring no better precision, checked from epoch
// `min_epochs` on (so a slow start is not mistaken for convergence); the model returned
// is the one of the best epoch.
#pragma once

#include <functional>
#include <vector>

#include "base/status.h"
#include "engine/train/mf/interaction_split.h"
#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/precision_at_k.h"

namespace botify::train::mf {

struct EpochReport {
  int epoch = 0;               // 1-based
  PrecisionAtK precision;      // on test, train items excluded
  double train_seconds = 0.0;  // the epoch's SGD alone
  double eval_seconds = 0.0;
  bool improved = false;  // best so far
};

struct FitResult {
  MfModel model;  // parameters after the best epoch, as served (b_i(now), time_bias.h)
  int best_epoch = 0;
  PrecisionAtK best;
  PrecisionAtK popularity;  // baseline on the same split
  std::vector<EpochReport> epochs;
  bool stopped_early = false;
  // A time-aware item bias: its number of time bins and the bin served ("now"); 1 and 0
  // for a static bias.
  std::uint32_t time_bins = 1;
  std::uint32_t served_bin = 0;
};

using EpochCallback = std::function<void(const EpochReport&)>;

// Trains on split.train and evaluates on split.test. `on_epoch` (may be empty) sees every
// epoch as it ends, e.g. to print progress.
Result<FitResult> FitMf(const InteractionSplit& split, const MfOptions& options,
                        const EpochCallback& on_epoch = {});

}  // namespace botify::train::mf
