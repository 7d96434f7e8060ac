#include "engine/train/mf/sgd_step.h"

#include <cmath>

namespace botify::train::mf {

ScheduleState ScheduleState::For(const MfModel& model, MfSchedule schedule) {
  const float init = schedule == MfSchedule::kAdagrad ? 1.0f : 0.0f;
  const std::size_t users = std::size_t{model.n_users()} * model.stride();
  const std::size_t items = std::size_t{model.n_items()} * model.stride();
  ScheduleState s;
  s.user_g2.assign(users, init);
  s.item_g2.assign(items, init);
  s.bias_g2.assign(model.n_items(), init);
  if (schedule == MfSchedule::kAdadelta) {
    s.user_d2.assign(users, 0.0f);
    s.item_d2.assign(items, 0.0f);
    s.bias_d2.assign(model.n_items(), 0.0f);
  }
  return s;
}

void PairwiseGradient(float weight, const float* p_u, const float* q_i, const float* q_j,
                      std::uint32_t stride, float* grad_p, float* grad_qi, float* grad_qj) {
  for (std::uint32_t c = 0; c < stride; ++c) {
    grad_p[c] = weight * (q_j[c] - q_i[c]);
    grad_qi[c] = -weight * p_u[c];
    grad_qj[c] = weight * p_u[c];
  }
}

SgdStep::SgdStep(const MfOptions& options, MfModel* model, ScheduleState* state)
    : model_(model),
      state_(state),
      adadelta_(options.schedule == MfSchedule::kAdadelta),
      learning_rate_(static_cast<float>(options.learning_rate)),
      rho_(static_cast<float>(options.rho)),
      epsilon_(static_cast<float>(options.epsilon)),
      user_alpha_(static_cast<float>(options.user_alpha)),
      item_alpha_(static_cast<float>(options.item_alpha)),
      grad_(3 * std::size_t{model->stride()}) {}

float SgdStep::UpdateRow(float* w, float* g2, float* d2, const float* grad, std::uint32_t n,
                         float inv_scale, float alpha) const {
  float sum_eta = 0.0f;
  if (adadelta_) {
    for (std::uint32_t c = 0; c < n; ++c) {
      g2[c] = rho_ * g2[c] + (1.0f - rho_) * grad[c] * grad[c];
      const float eta = std::sqrt(d2[c] + epsilon_) / std::sqrt(g2[c] + epsilon_);
      const float update = eta * grad[c];
      d2[c] = rho_ * d2[c] + (1.0f - rho_) * update * update;
      w[c] = (w[c] - update * inv_scale) * (1.0f + alpha * eta);
      sum_eta += eta;
    }
    return sum_eta;
  }
  for (std::uint32_t c = 0; c < n; ++c) {
    const float eta = learning_rate_ / std::sqrt(g2[c]);
    w[c] = (w[c] - eta * grad[c] * inv_scale) * (1.0f + alpha * eta);
    g2[c] += grad[c] * grad[c];
    sum_eta += eta;
  }
  return sum_eta;
}

StepDecay SgdStep::Apply(float weight, std::uint32_t u, std::uint32_t i, std::uint32_t j,
                         const LazyScale& scale) {
  const std::uint32_t stride = model_->stride();
  const std::uint32_t d = model_->no_components();
  float* gp = grad_.data();
  float* gqi = gp + stride;
  float* gqj = gqi + stride;
  // Gradients w.r.t. the true parameters; the stored rows carry the lazy scales.
  PairwiseGradient(weight, model_->user(u), model_->item(i), model_->item(j), stride, gp, gqi, gqj);
  const auto su = static_cast<float>(scale.user), si = static_cast<float>(scale.item);
  for (std::uint32_t c = 0; c < d; ++c) {
    gp[c] *= si;
    gqi[c] *= su;
    gqj[c] *= su;
  }
  const std::size_t ur = std::size_t{u} * stride, ir = std::size_t{i} * stride,
                    jr = std::size_t{j} * stride;
  auto d2 = [](std::vector<float>& v, std::size_t at) -> float* {
    return v.empty() ? nullptr : &v[at];
  };
  ScheduleState& s = *state_;
  const float grad_bi = -weight, grad_bj = weight;
  float sum_eta = 0.0f;
  sum_eta += UpdateRow(&model_->bias(i), &s.bias_g2[i], d2(s.bias_d2, i), &grad_bi, 1, 1.0f / si,
                       item_alpha_);
  sum_eta += UpdateRow(&model_->bias(j), &s.bias_g2[j], d2(s.bias_d2, j), &grad_bj, 1, 1.0f / si,
                       item_alpha_);
  sum_eta +=
      UpdateRow(model_->item(i), &s.item_g2[ir], d2(s.item_d2, ir), gqi, d, 1.0f / si, item_alpha_);
  sum_eta +=
      UpdateRow(model_->item(j), &s.item_g2[jr], d2(s.item_d2, jr), gqj, d, 1.0f / si, item_alpha_);
  sum_eta +=
      UpdateRow(model_->user(u), &s.user_g2[ur], d2(s.user_d2, ur), gp, d, 1.0f / su, user_alpha_);
  const double mean_eta = sum_eta / static_cast<double>(3 * d + 2);
  return {1.0 / (1.0 + user_alpha_ * mean_eta), 1.0 / (1.0 + item_alpha_ * mean_eta)};
}

}  // namespace botify::train::mf
