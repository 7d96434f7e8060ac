// The time-dependent part of the item bias, b_i(t) = b_i + term_i(u) (TimeSVD, Koren 2009),
// with u the time in bins of engine/train/mf/time_axis.h:
//   binned:  term_i(u) = b_{i,Bin(u)}                  one offset per item and bin
//   drift:   term_i(u) = alpha_i * dev_i(u),  dev_i(u) = sign(u - u_i) |u - u_i|^beta
//            with u_i the mean time of item i's train positives.
// The static b_i stays in MfModel (its schedule and LightFM's lazy L2 untouched); the term's
// parameters have their own adagrad step and their own plain L2 penalty, applied to the
// coordinates a step touches. A triple (u, i, j) at the positive's time u has the
// objective weight * (s_j(u) - s_i(u)), so the term's gradients are
//   d/dtheta_i = -weight * dterm_i/dtheta_i + alpha * theta_i,
//   d/dtheta_j = +weight * dterm_j/dtheta_j + alpha * theta_j.
// At export and evaluation the model is served at "now" (the latest train timestamp):
// FoldInto adds term_i(now) to b_i, i.e. the latest bin's offset or the drift extrapolated.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/time_axis.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

// One coordinate's gradient.
struct TermGradient {
  std::size_t param = 0;  // index into TimeBias::params()
  float value = 0.0f;
};

// Thread-compatible; Hogwild workers call Step concurrently and accept lost updates.
class TimeBias {
 public:
  // A static bias: no parameters, Term() is 0 and Step does nothing.
  TimeBias() = default;
  // `timestamps_ms` has one entry per train positive in `train`'s CSR order
  // (InteractionSplit::train_timestamps_ms). Parameters start at 0.
  TimeBias(const MfOptions& options, const UserItemMatrix& train,
           std::span<const std::int64_t> timestamps_ms, std::uint32_t n_items);

  bool enabled() const { return form_ != ItemBiasForm::kStatic; }
  // Time (in bins) of train positive `sample` (CSR index).
  float sample_time(std::size_t sample) const { return sample_time_[sample]; }
  float now() const { return now_; }
  const TimeAxis& axis() const { return axis_; }

  float Term(std::uint32_t item, float u) const {
    if (form_ == ItemBiasForm::kBinned) return params_[Param(item, u)];
    if (form_ == ItemBiasForm::kDrift) return params_[item] * Dev(item, u);
    return 0.0f;
  }
  float Dev(std::uint32_t item, float u) const;

  // Gradients of the objective above for positive i and negative j at time u (two
  // coordinates; only when enabled()). No allocation: Hogwild calls it per step.
  std::array<TermGradient, 2> Gradients(float weight, std::uint32_t i, std::uint32_t j,
                                        float u) const;
  // One adagrad step along Gradients().
  void Step(float weight, std::uint32_t i, std::uint32_t j, float u);

  // Adds term_i(now) to every item bias of `model`: the model to serve now.
  void FoldInto(MfModel* model) const;

  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }

 private:
  std::size_t Param(std::uint32_t item, float u) const {
    return form_ == ItemBiasForm::kBinned ? std::size_t{item} * bins_ + axis_.Bin(u) : item;
  }
  float DTerm(std::uint32_t item, float u) const {
    return form_ == ItemBiasForm::kBinned ? 1.0f : Dev(item, u);
  }

  ItemBiasForm form_ = ItemBiasForm::kStatic;
  TimeAxis axis_;
  std::uint32_t bins_ = 1;
  float learning_rate_ = 0.0f, alpha_ = 0.0f, beta_ = 0.0f, now_ = 0.0f;
  std::vector<float> sample_time_;  // per train positive
  std::vector<float> mean_time_;    // drift: u_i per item
  std::vector<float> params_;       // binned: items x bins; drift: items
  std::vector<float> g2_;           // adagrad accumulators (start at 1, as the model's)
};

}  // namespace botify::train::mf
