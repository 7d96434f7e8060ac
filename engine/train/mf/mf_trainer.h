// Hogwild-style epochs of the LightFM-style factorisation model (docs/contracts.md §10).
//
// An epoch visits every train positive once in a fresh seeded random order. The order is
// cut into rounds of kRoundSamples positives per worker; workers update the shared model
// without locks (Hogwild) and meet at a barrier after each round, where the lazy L2
// scales they accumulated are combined (see sgd_step.h). At the end of an epoch the
// scales are folded into the stored parameters, so model() holds true values.
// With threads == 1 an epoch is a deterministic function of the seed; with more threads
// the interleaving of updates is not.
#pragma once

#include <barrier>
#include <cstdint>
#include <span>
#include <vector>

#include "base/random.h"
#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/sgd_step.h"
#include "engine/train/mf/time_bias.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

// Thread-compatible: one caller drives it; it runs its own workers inside RunEpoch().
class MfTrainer {
 public:
  static constexpr std::size_t kRoundSamples = 4096;

  // `train` (users x n_items positives) must outlive the trainer; `options` must be valid.
  // Initialises the model as LightFM does from options.seed. A time-aware item bias
  // (options.item_bias) needs `train_timestamps_ms`, one per train positive in CSR order
  // (callers check: see CheckTimestamps); a static bias ignores them.
  MfTrainer(const MfOptions& options, const UserItemMatrix* train, std::uint32_t n_items,
            std::span<const std::int64_t> train_timestamps_ms = {});

  void RunEpoch();

  int epochs_done() const { return epochs_done_; }
  // The parameters; with a time-aware bias, b_i without its time term.
  const MfModel& model() const { return model_; }
  // The model to evaluate and export: b_i(now) in place of b_i (time_bias.h). Equal to
  // model() with a static bias.
  MfModel ServingModel() const;
  const TimeBias& time_bias() const { return time_bias_; }
  const MfOptions& options() const { return options_; }
  // Replaces the parameters (same shape), e.g. to restore the best epoch.
  void set_model(MfModel model) { model_ = std::move(model); }

  // OK when `options` can train on `timestamps` (one per train positive, or a static bias).
  static Status CheckTimestamps(const MfOptions& options, const UserItemMatrix& train,
                                std::span<const std::int64_t> timestamps);

 private:
  struct WorkerDecay {
    double user = 1.0;
    double item = 1.0;
  };
  struct CombineAtBarrier {
    MfTrainer* trainer;
    void operator()() noexcept { trainer->CombineDecays(); }
  };
  using Barrier = std::barrier<CombineAtBarrier>;
  // `barrier` is null with a single worker.
  void RunWorker(int worker, std::size_t rounds, Barrier* barrier);
  // Step for the positive at `sample`; updates *decay.
  void TrainSample(std::size_t sample, Rng& rng, SgdStep& step, WorkerDecay* decay);
  void CombineDecays();  // at the barrier: all workers wait
  void FoldScale();

  MfOptions options_;
  const UserItemMatrix* train_;
  MfModel model_;
  ScheduleState state_;
  TimeBias time_bias_;
  LazyScale scale_;
  std::vector<std::uint32_t> sample_user_;  // train positive -> user
  std::vector<std::uint32_t> order_;        // this epoch's visiting order
  std::vector<WorkerDecay> decays_;         // per worker, reset at each barrier
  Rng shuffle_rng_;
  int epochs_done_ = 0;
};

}  // namespace botify::train::mf
