#include "engine/train/mf/time_bias.h"

#include <cmath>

namespace botify::train::mf {

TimeBias::TimeBias(const MfOptions& options, const UserItemMatrix& train,
                   std::span<const std::int64_t> timestamps_ms, std::uint32_t n_items)
    : form_(options.item_bias),
      axis_(options.bias_bin_gap_seconds > 0
                ? TimeAxis::ActivityStretches(timestamps_ms, options.bias_bin_gap_seconds)
                : TimeAxis::FixedWidth(timestamps_ms, options.bias_bin_seconds)),
      bins_(axis_.bins()),
      learning_rate_(static_cast<float>(form_ == ItemBiasForm::kBinned
                                            ? options.bin_learning_rate
                                            : options.drift_learning_rate)),
      alpha_(static_cast<float>(form_ == ItemBiasForm::kBinned ? options.bin_alpha
                                                               : options.drift_alpha)),
      beta_(static_cast<float>(options.drift_beta)),
      now_(static_cast<float>(axis_.now())) {
  if (!enabled()) return;
  sample_time_.resize(timestamps_ms.size());
  for (std::size_t s = 0; s < timestamps_ms.size(); ++s) {
    sample_time_[s] = static_cast<float>(axis_.At(timestamps_ms[s]));
  }
  if (form_ == ItemBiasForm::kDrift) {
    std::vector<double> sum(n_items, 0.0);
    std::vector<std::uint32_t> count(n_items, 0);
    for (std::size_t s = 0; s < train.nnz(); ++s) {
      sum[train.items()[s]] += sample_time_[s];
      ++count[train.items()[s]];
    }
    mean_time_.resize(n_items, 0.0f);
    for (std::uint32_t i = 0; i < n_items; ++i) {
      if (count[i] > 0) mean_time_[i] = static_cast<float>(sum[i] / count[i]);
    }
  }
  const std::size_t n = form_ == ItemBiasForm::kBinned ? std::size_t{n_items} * bins_ : n_items;
  params_.assign(n, 0.0f);
  g2_.assign(n, 1.0f);
}

float TimeBias::Dev(std::uint32_t item, float u) const {
  const float d = u - mean_time_[item];
  return std::copysign(std::pow(std::fabs(d), beta_), d);
}

std::array<TermGradient, 2> TimeBias::Gradients(float weight, std::uint32_t i, std::uint32_t j,
                                                float u) const {
  const std::size_t pi = Param(i, u), pj = Param(j, u);
  return {TermGradient{pi, -weight * DTerm(i, u) + alpha_ * params_[pi]},
          TermGradient{pj, weight * DTerm(j, u) + alpha_ * params_[pj]}};
}

void TimeBias::Step(float weight, std::uint32_t i, std::uint32_t j, float u) {
  if (!enabled()) return;
  // Both gradients are taken before either update (i == j cannot happen: j is a negative).
  for (const TermGradient& g : Gradients(weight, i, j, u)) {
    params_[g.param] -= learning_rate_ / std::sqrt(g2_[g.param]) * g.value;
    g2_[g.param] += g.value * g.value;
  }
}

void TimeBias::FoldInto(MfModel* model) const {
  if (!enabled()) return;
  for (std::uint32_t i = 0; i < model->n_items(); ++i) model->bias(i) += Term(i, now_);
}

}  // namespace botify::train::mf
