// Options of the LightFM-style matrix factorisation trainer (docs/contracts.md §10 model-based).
// Defaults follow LightFM's where it has one, and the CLI's documented defaults.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::train::mf {

enum class MfLoss { kWarp, kBpr };
enum class MfSchedule { kAdagrad, kAdadelta };
// BPR's negative candidates: LightFM's (an item of a random interaction, i.e. in
// proportion to popularity) or uniform over the items.
enum class BprSampler { kInteractions, kUniform };

std::string_view MfLossName(MfLoss loss);              // "warp" / "bpr"
std::string_view MfScheduleName(MfSchedule schedule);  // "adagrad" / "adadelta"
Result<MfLoss> ParseMfLoss(std::string_view name);
Result<MfSchedule> ParseMfSchedule(std::string_view name);
std::string_view BprSamplerName(BprSampler sampler);  // "interactions" / "uniform"
Result<BprSampler> ParseBprSampler(std::string_view name);

// The item bias b_i(t) (TimeSVD, engine/train/mf/time_bias.h): static b_i; binned
// b_i + b_{i,Bin(t)}; linear drift b_i + alpha_i * dev_i(t).
enum class ItemBiasForm { kStatic, kBinned, kDrift };
std::string_view ItemBiasFormName(ItemBiasForm form);  // "static" / "binned" / "drift"
Result<ItemBiasForm> ParseItemBiasForm(std::string_view name);

struct MfOptions {
  // --- Model and loss
  MfLoss loss = MfLoss::kWarp;
  // Embedding dimension. Default 50; cost per sample and memory grow linearly with it.
  int no_components = 50;
  // WARP: negatives drawn per positive before giving up. Default 10 (LightFM's).
  int max_sampled = 10;
  // BPR: where negative candidates come from. Default kInteractions (LightFM's): popular
  // items are drawn more often, which makes the negatives harder and training faster.
  BprSampler bpr_sampler = BprSampler::kInteractions;

  // --- Learning schedule
  MfSchedule schedule = MfSchedule::kAdagrad;
  // Adagrad's base learning rate. Default 0.05 (LightFM's). Unused by adadelta.
  double learning_rate = 0.05;
  // Adadelta's decay and conditioning constants. Defaults 0.95 and 1e-6 (LightFM's).
  double rho = 0.95;
  double epsilon = 1e-6;

  // --- L2 penalties, applied lazily per update as LightFM does (see sgd_step.h).
  double user_alpha = 0.0;
  double item_alpha = 0.0;

  // --- Time-aware item bias b_i(t) (time_bias.h, time_axis.h). Time is measured in bins.
  ItemBiasForm item_bias = ItemBiasForm::kStatic;
  // Width of a time bin in seconds of the events' timestamps. Default 86400 (a day).
  double bias_bin_seconds = 86400;
  // > 0: bins are the stretches of activity instead, a new bin after every gap of more than
  // this many seconds between train positives (a simulator's pause between days); time
  // inside a bin runs from its index to index + 1. Default 0 (fixed-width bins).
  double bias_bin_gap_seconds = 0;
  // binned: adagrad learning rate and L2 penalty of the per-bin offsets b_{i,bin}. The
  // penalty pulls a thinly observed bin's offset to 0, i.e. to the static bias.
  double bin_learning_rate = 0.01;
  double bin_alpha = 0.01;
  // drift: adagrad learning rate and L2 penalty of the slopes alpha_i, and the exponent
  // beta of dev(t) = sign(t - t_i) |t - t_i|^beta (Koren's 0.4).
  double drift_learning_rate = 0.01;
  double drift_alpha = 0.01;
  double drift_beta = 0.4;

  // --- Training loop
  int epochs = 30;   // upper bound on epochs
  int patience = 3;  // stop after this many epochs without a better precision@k...
  // ...counted only from this epoch on: small learning rates sit on a plateau near the
  // popularity baseline for the first epochs, and stopping there keeps an untrained model.
  // Default 10; 1 restores plain patience.
  int min_epochs = 10;
  int threads = 2;         // Hogwild workers per epoch
  std::uint64_t seed = 0;  // initialisation, split and sampling; same seed, same run
  int k = 10;              // the k of precision@k
  // Precision@k is evaluated on a seeded sample of this many users with a test
  // positive (evaluation_users.h), the popularity baseline on the same users; 0 = all of
  // them (the exact evaluation). Each epoch's evaluation costs users x items scores.
  int eval_users = 0;

  Status Validate() const;
};

}  // namespace botify::train::mf
