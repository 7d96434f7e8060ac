#include "engine/train/mf/sgd_step.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "engine/train/mf/negative_sampler.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

constexpr std::uint32_t kU = 1, kI = 0, kJ = 2;

MfModel SmallModel() {
  MfModel model(2, 3, 5);
  Rng rng(3);
  model.InitUniform(rng);
  for (std::uint32_t i = 0; i < 3; ++i) model.bias(i) = 0.1f * static_cast<float>(i);
  return model;
}

struct Analytic {
  std::vector<float> p, qi, qj;
  float bi, bj;
};

Analytic AnalyticGradient(const MfModel& m, float weight) {
  Analytic g{std::vector<float>(m.stride()), std::vector<float>(m.stride()),
             std::vector<float>(m.stride()), -weight, weight};
  PairwiseGradient(weight, m.user(kU), m.item(kI), m.item(kJ), m.stride(), g.p.data(), g.qi.data(),
                   g.qj.data());
  return g;
}

// Central differences of `objective` w.r.t. *param, in double around the float value.
double NumericDerivative(MfModel& m, float* param, const std::function<double(const MfModel&)>& f) {
  const float saved = *param;
  const float h = 1e-2f;
  *param = saved + h;
  const double up = f(m);
  *param = saved - h;
  const double down = f(m);
  *param = saved;
  return (up - down) / (2.0 * h);
}

void CheckAgainstFiniteDifferences(MfModel& m, const Analytic& g,
                                   const std::function<double(const MfModel&)>& f) {
  for (std::uint32_t c = 0; c < m.no_components(); ++c) {
    CHECK(NumericDerivative(m, m.user(kU) + c, f) == Approx(g.p[c]).margin(2e-4));
    CHECK(NumericDerivative(m, m.item(kI) + c, f) == Approx(g.qi[c]).margin(2e-4));
    CHECK(NumericDerivative(m, m.item(kJ) + c, f) == Approx(g.qj[c]).margin(2e-4));
  }
  CHECK(NumericDerivative(m, &m.bias(kI), f) == Approx(g.bi).margin(2e-4));
  CHECK(NumericDerivative(m, &m.bias(kJ), f) == Approx(g.bj).margin(2e-4));
}

}  // namespace

TEST_CASE("WARP gradient matches finite differences of weight*(1 - s_i + s_j)",
          "[engine][mf][sgd]") {
  MfModel m = SmallModel();
  const float weight = WarpWeight(3, 1);  // log(2)
  REQUIRE(weight == Approx(std::log(2.0)));
  auto objective = [&](const MfModel& x) {
    return weight * (1.0 - x.Score(kU, kI) + x.Score(kU, kJ));
  };
  CheckAgainstFiniteDifferences(m, AnalyticGradient(m, weight), objective);
}

TEST_CASE("BPR gradient matches finite differences of -log sigmoid(s_i - s_j)",
          "[engine][mf][sgd]") {
  MfModel m = SmallModel();
  for (std::uint32_t c = 0; c < 5; ++c)
    m.user(kU)[c] = 0.3f * static_cast<float>(c);  // sigmoid away from 1/2
  const float weight = BprWeight(m.Score(kU, kI), m.Score(kU, kJ));
  auto objective = [&](const MfModel& x) {
    const double diff = x.Score(kU, kI) - x.Score(kU, kJ);
    return std::log1p(std::exp(-diff));
  };
  CheckAgainstFiniteDifferences(m, AnalyticGradient(m, weight), objective);
}

TEST_CASE("a first adagrad step moves each parameter by -lr * gradient", "[engine][mf][sgd]") {
  MfModel m = SmallModel();
  const MfModel before = m;
  MfOptions options;
  options.learning_rate = 0.05;
  ScheduleState state = ScheduleState::For(m, MfSchedule::kAdagrad);
  const Analytic g = AnalyticGradient(m, 2.0f);
  SgdStep step(options, &m, &state);
  const StepDecay decay = step.Apply(2.0f, kU, kI, kJ, LazyScale{});
  for (std::uint32_t c = 0; c < 5; ++c) {
    CHECK(m.user(kU)[c] == Approx(before.user(kU)[c] - 0.05f * g.p[c]));
    CHECK(m.item(kI)[c] == Approx(before.item(kI)[c] - 0.05f * g.qi[c]));
    CHECK(m.item(kJ)[c] == Approx(before.item(kJ)[c] - 0.05f * g.qj[c]));
    CHECK(state.user_g2[kU * m.stride() + c] == Approx(1.0f + g.p[c] * g.p[c]));
  }
  CHECK(m.bias(kI) == Approx(before.bias(kI) + 0.1f));
  CHECK(m.bias(kJ) == Approx(before.bias(kJ) - 0.1f));
  CHECK(m.user(0)[0] == before.user(0)[0]);  // untouched rows stay
  CHECK(m.item(1)[0] == before.item(1)[0]);
  CHECK(decay.user == 1.0);
  CHECK(decay.item == 1.0);
}

TEST_CASE("a first adadelta step follows its accumulators", "[engine][mf][sgd]") {
  MfModel m = SmallModel();
  const MfModel before = m;
  MfOptions options;
  options.schedule = MfSchedule::kAdadelta;
  ScheduleState state = ScheduleState::For(m, MfSchedule::kAdadelta);
  const Analytic g = AnalyticGradient(m, 1.0f);
  SgdStep step(options, &m, &state);
  (void)step.Apply(1.0f, kU, kI, kJ, LazyScale{});
  const double g2 = 0.05 * g.p[0] * g.p[0];
  const double eta = std::sqrt(1e-6) / std::sqrt(g2 + 1e-6);
  CHECK(m.user(kU)[0] == Approx(before.user(kU)[0] - eta * g.p[0]).epsilon(1e-4));
  CHECK(state.user_g2[kU * m.stride()] == Approx(g2).epsilon(1e-4));
  CHECK(state.user_d2[kU * m.stride()] == Approx(0.05 * eta * eta * g.p[0] * g.p[0]).epsilon(1e-3));
}

TEST_CASE("L2 follows LightFM: touched scaled up by 1+alpha*eta, all decayed by 1+alpha*mean eta",
          "[engine][mf][sgd]") {
  MfModel m = SmallModel();
  const MfModel before = m;
  MfOptions options;
  options.learning_rate = 0.05;
  options.user_alpha = 0.01;
  options.item_alpha = 0.02;
  ScheduleState state = ScheduleState::For(m, MfSchedule::kAdagrad);
  const Analytic g = AnalyticGradient(m, 1.0f);
  SgdStep step(options, &m, &state);
  const StepDecay decay = step.Apply(1.0f, kU, kI, kJ, LazyScale{});
  // First adagrad step: every local rate is lr, so the mean is lr too.
  CHECK(decay.user == Approx(1.0 / (1.0 + 0.01 * 0.05)));
  CHECK(decay.item == Approx(1.0 / (1.0 + 0.02 * 0.05)));
  CHECK(m.user(kU)[0] == Approx((before.user(kU)[0] - 0.05f * g.p[0]) * (1 + 0.01 * 0.05)));
  CHECK(m.item(kJ)[1] == Approx((before.item(kJ)[1] - 0.05f * g.qj[1]) * (1 + 0.02 * 0.05)));

  SECTION("a pending lazy scale is honoured: true = stored * scale") {
    MfModel scaled = before;
    ScheduleState state2 = ScheduleState::For(scaled, MfSchedule::kAdagrad);
    const LazyScale scale{0.5, 0.25};
    for (float& w : scaled.user_embeddings()) w /= 0.5f;
    for (float& w : scaled.item_embeddings()) w /= 0.25f;
    for (float& b : scaled.item_biases()) b /= 0.25f;
    CHECK(ScaledScore(scaled, scale, kU, kI) == Approx(before.Score(kU, kI)));
    SgdStep step2(options, &scaled, &state2);
    (void)step2.Apply(1.0f, kU, kI, kJ, scale);
    CHECK(scaled.user(kU)[0] * 0.5f == Approx(m.user(kU)[0]));
    CHECK(scaled.item(kJ)[1] * 0.25f == Approx(m.item(kJ)[1]));
    CHECK(scaled.bias(kI) * 0.25f == Approx(m.bias(kI)));
  }
}
