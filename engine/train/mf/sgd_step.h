// One pairwise gradient step of the factorisation model, as LightFM's warp_update does it
// (for both WARP and BPR): the objective of a (user u, positive i, negative j) triple is
// weight * (score(u, j) - score(u, i)), so
//   d/dp_u = weight * (q_j - q_i),  d/dq_i = -weight * p_u,  d/dq_j = weight * p_u,
//   d/db_i = -weight,               d/db_j = weight,
// all taken at the parameters before the step. WARP's weight is the rank-based
// log(floor((n_items - 1) / draws)) (warp_sampler.h), BPR's is 1 - sigmoid(s_i - s_j),
// the derivative of -log sigmoid(s_i - s_j).
//
// Learning schedules, per coordinate w with gradient g (LightFM's):
//   adagrad:  eta = lr / sqrt(G); w -= eta * g; G += g^2            (G starts at 1)
//   adadelta: G = rho G + (1 - rho) g^2; eta = sqrt(D + eps) / sqrt(G + eps);
//             w -= eta * g; D = rho D + (1 - rho) (eta g)^2          (G, D start at 0)
//
// L2 penalties (LightFM's lazy regularisation): after every step, every parameter on the
// user side is divided by (1 + user_alpha * mean_eta) and every parameter on the item
// side (embeddings and biases) by (1 + item_alpha * mean_eta), where mean_eta is the
// mean local learning rate over the coordinates this step updated; the coordinates the
// step touched are first multiplied by (1 + alpha * eta), so they escape that step's
// decay. The division is kept lazy: true value = stored value * LazyScale, folded into
// the stored values by the trainer.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/mf_options.h"

namespace botify::train::mf {

// Accumulators of the learning schedule; same shapes as the model's arrays.
// Thread-compatible (Hogwild workers share it and accept lost updates).
struct ScheduleState {
  std::vector<float> user_g2, user_d2;  // n_users x stride
  std::vector<float> item_g2, item_d2;  // n_items x stride
  std::vector<float> bias_g2, bias_d2;  // n_items
  // Adagrad accumulators start at 1, adadelta's at 0 (LightFM's choice).
  static ScheduleState For(const MfModel& model, MfSchedule schedule);
};

// True parameters = stored * scale; one scale per side.
struct LazyScale {
  double user = 1.0;
  double item = 1.0;
};

// Gradients of weight * (score(u, j) - score(u, i)) w.r.t. p_u, q_i and q_j (the bias
// gradients are -weight and +weight). Rows have `stride` floats; padding stays 0.
void PairwiseGradient(float weight, const float* p_u, const float* q_i, const float* q_j,
                      std::uint32_t stride, float* grad_p, float* grad_qi, float* grad_qj);

// score(u, i) of the true parameters while a lazy scale is pending.
inline float ScaledScore(const MfModel& model, const LazyScale& scale, std::uint32_t u,
                         std::uint32_t i) {
  const double dot = Dot(model.user(u), model.item(i), model.stride());
  return static_cast<float>(dot * scale.user * scale.item + model.bias(i) * scale.item);
}

// Multiplicative decays one step contributes to the lazy scales.
struct StepDecay {
  double user = 1.0;
  double item = 1.0;
};

// Applies steps to a model. Thread-compatible; Hogwild workers each use their own
// SgdStep over the shared model and state.
class SgdStep {
 public:
  // `model` and `state` must outlive this object.
  SgdStep(const MfOptions& options, MfModel* model, ScheduleState* state);

  // One step on (u, i, j) with loss weight `weight`; returns this step's decays.
  StepDecay Apply(float weight, std::uint32_t u, std::uint32_t i, std::uint32_t j,
                  const LazyScale& scale);

 private:
  // Updates `n` coordinates of one row; returns the sum of their local learning rates.
  float UpdateRow(float* w, float* g2, float* d2, const float* grad, std::uint32_t n,
                  float inv_scale, float alpha) const;

  MfModel* model_;
  ScheduleState* state_;
  bool adadelta_;
  float learning_rate_, rho_, epsilon_, user_alpha_, item_alpha_;
  std::vector<float> grad_;  // 3 x stride scratch: no allocation per step
};

}  // namespace botify::train::mf
