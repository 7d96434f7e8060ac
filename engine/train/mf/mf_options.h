// Options of the LightFM-style matrix factorisation trainer (SPEC §10 model-based).
// Defaults follow LightFM's where it has one, and the CLI's documented defaults.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::mf {

enum class MfLoss { kWarp, kBpr };
enum class MfSchedule { kAdagrad, kAdadelta };
// BPR's negative candidates: LightFM's (an item of a random interaction, i.e. in
// proportion to popularity) or uniform over the items.
enum class BprSampler { kInteractions, kUniform };

std::string_view MfLossName(MfLoss loss);          // "warp" / "bpr"
std::string_view MfScheduleName(MfSchedule schedule);  // "adagrad" / "adadelta"
Result<MfLoss> ParseMfLoss(std::string_view name);
Result<MfSchedule> ParseMfSchedule(std::string_view name);
std::string_view BprSamplerName(BprSampler sampler);  // "interactions" / "uniform"
Result<BprSampler> ParseBprSampler(std::string_view name);

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

  // --- Training loop
  int epochs = 30;      // upper bound on epochs
  int patience = 3;     // stop after this many epochs without a better precision@k...
  // ...counted only from this epoch on: small learning rates sit on a plateau near the
  // popularity baseline for the first epochs, and stopping there keeps an untrained model.
  // Default 10; 1 restores plain patience.
  int min_epochs = 10;
  int threads = 2;      // Hogwild workers per epoch
  std::uint64_t seed = 0;  // initialisation, split and sampling; same seed, same run
  int k = 10;           // the k of precision@k

  Status Validate() const;
};

}  // namespace botify::mf
