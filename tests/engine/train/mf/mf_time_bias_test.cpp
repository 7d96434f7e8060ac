// b_i(t) (engine/train/mf/time_bias.h): gradients of both time-aware forms against central
// finite differences on a tiny case, the served bias at "now", and the trainer on a log
// whose item appeal changes over time.
#include "engine/train/mf/time_bias.h"

#include <catch2/catch.hpp>

#include <cmath>

#include "engine/train/mf/mf_trainer.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Two users, three items; positives on days 0, 1 and 3 (fixed bins of a day: 4 bins).
struct Tiny {
  UserItemMatrix train = UserItemMatrix::FromPairs(2, {{0, 0}, {0, 1}, {1, 1}, {1, 2}});
  std::vector<std::int64_t> times = {0, kDayMs + 5, 3 * kDayMs + 7, 3 * kDayMs};
};

MfOptions Options(ItemBiasForm form) {
  MfOptions o;
  o.item_bias = form;
  o.bin_alpha = 0.3;
  o.drift_alpha = 0.2;
  o.drift_beta = 0.4;
  return o;
}

// The objective a step descends, in double: weight * (term_j(u) - term_i(u)) plus the
// L2 penalty alpha / 2 * theta^2 of the two coordinates the step touches.
double Objective(const TimeBias& tb, float weight, std::uint32_t i, std::uint32_t j, float u,
                 double alpha) {
  const auto grads = tb.Gradients(weight, i, j, u);
  double penalty = 0;
  for (const TermGradient& g : grads)
    penalty += 0.5 * alpha * tb.params()[g.param] * tb.params()[g.param];
  return weight * (static_cast<double>(tb.Term(j, u)) - tb.Term(i, u)) + penalty;
}

void CheckGradients(ItemBiasForm form, double alpha) {
  Tiny tiny;
  TimeBias tb(Options(form), tiny.train, tiny.times, 3);
  REQUIRE(tb.enabled());
  // Non-zero parameters, so that the penalty's gradient counts too.
  for (std::size_t p = 0; p < tb.params().size(); ++p) tb.params()[p] = 0.05f * (p + 1) - 0.2f;
  const float weight = 1.7f;
  for (const float u : {0.5f, 1.2f, 3.9f}) {
    const auto grads = tb.Gradients(weight, 0, 2, u);
    for (const TermGradient& g : grads) {
      float& param = tb.params()[g.param];
      const float saved = param;
      const float h = 1e-2f;
      param = saved + h;
      const double up = Objective(tb, weight, 0, 2, u, alpha);
      param = saved - h;
      const double down = Objective(tb, weight, 0, 2, u, alpha);
      param = saved;
      INFO("form " << ItemBiasFormName(form) << " u " << u << " param " << g.param);
      CHECK(g.value == Approx((up - down) / (2 * h)).epsilon(1e-3).margin(1e-4));
    }
  }
}

}  // namespace

TEST_CASE("binned bias: the gradient matches central finite differences", "[engine][mf]") {
  CheckGradients(ItemBiasForm::kBinned, 0.3);
}

TEST_CASE("drift bias: the gradient matches central finite differences", "[engine][mf]") {
  CheckGradients(ItemBiasForm::kDrift, 0.2);
}

TEST_CASE("drift dev(t) is signed |t - t_i|^beta around the item's mean time", "[engine][mf]") {
  Tiny tiny;
  TimeBias tb(Options(ItemBiasForm::kDrift), tiny.train, tiny.times, 3);
  // Item 1's positives are at u = 1 (+5 ms) and 3 (+7 ms): mean ~2.
  CHECK(tb.Dev(1, 3.0f) == Approx(1.0).epsilon(1e-4));
  CHECK(tb.Dev(1, 1.0f) == Approx(-1.0).epsilon(1e-4));
  CHECK(tb.Dev(1, 2.0f + 0.5f) == Approx(std::pow(0.5, 0.4)).epsilon(1e-3));
  CHECK(tb.Dev(0, 0.0f) == 0.0f);  // its only positive is at 0
}

TEST_CASE("the served bias is the latest bin's offset or the drift at now", "[engine][mf]") {
  Tiny tiny;
  MfModel model(2, 3, 4);
  model.bias(0) = 0.5f;
  TimeBias binned(Options(ItemBiasForm::kBinned), tiny.train, tiny.times, 3);
  REQUIRE(binned.axis().bins() == 4);
  CHECK(binned.axis().Bin(binned.now()) == 3);
  binned.params()[0 * 4 + 3] = 0.25f;  // item 0, last bin
  binned.params()[0 * 4 + 1] = 9.0f;   // an older bin is not served
  MfModel served = model;
  binned.FoldInto(&served);
  CHECK(served.bias(0) == 0.75f);
  CHECK(served.bias(1) == 0.0f);
  TimeBias drift(Options(ItemBiasForm::kDrift), tiny.train, tiny.times, 3);
  drift.params()[1] = 2.0f;
  served = model;
  drift.FoldInto(&served);
  CHECK(served.bias(1) == Approx(2.0f * drift.Dev(1, drift.now())));
  CHECK(served.bias(0) == 0.5f);  // alpha_0 = 0
}

TEST_CASE("activity stretches: a gap starts a bin, time runs through each bin", "[engine][mf]") {
  const std::vector<std::int64_t> t = {1000, 1500, 2000, 60'000, 61'000, 200'000};
  const TimeAxis axis = TimeAxis::ActivityStretches(t, 10.0);
  REQUIRE(axis.bins() == 3);
  CHECK(axis.At(1000) == 0.0);
  CHECK(axis.At(2000) < 1.0);
  CHECK(axis.Bin(axis.At(1500)) == 0);
  CHECK(axis.At(60'000) == 1.0);
  CHECK(axis.Bin(axis.At(61'000)) == 1);
  CHECK(axis.Bin(axis.now()) == 2);
  CHECK(axis.At(5) == 0.0);  // clamped into the train range
  const TimeAxis fixed = TimeAxis::FixedWidth(t, 100.0);
  CHECK(fixed.bins() == 2);
  CHECK(fixed.Bin(fixed.At(200'000)) == 1);
}

TEST_CASE("a time-aware bias without timestamps is refused", "[engine][mf]") {
  Tiny tiny;
  CHECK(MfTrainer::CheckTimestamps(Options(ItemBiasForm::kStatic), tiny.train, {}).ok());
  CHECK_THAT(MfTrainer::CheckTimestamps(Options(ItemBiasForm::kBinned), tiny.train, {}).message(),
             Catch::Contains("needs a timestamp per train positive"));
}

TEST_CASE("the binned bias serves what is liked now, the static one what was liked",
          "[engine][mf]") {
  // 40 users; on day 0 every user likes item 0, on day 1 item 1 (plus own items 2..41 so
  // that the embeddings have something to learn). Static: items 0 and 1 tie in popularity.
  // Binned: item 1's offset in the last bin beats item 0's.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t u = 0; u < 40; ++u) {
    pairs.push_back({u, 0});
    pairs.push_back({u, 1});
    pairs.push_back({u, 2 + u});
  }
  const UserItemMatrix train = UserItemMatrix::FromPairs(40, pairs);
  std::vector<std::int64_t> times;
  for (std::uint32_t u = 0; u < 40; ++u) {
    for (const std::uint32_t i : train.Row(u)) times.push_back(i == 1 ? kDayMs + u : u);
  }
  MfOptions o = Options(ItemBiasForm::kBinned);
  o.threads = 1;
  o.bin_alpha = 0.0;
  o.bin_learning_rate = 0.05;
  MfTrainer trainer(o, &train, 42, times);
  for (int e = 0; e < 20; ++e) trainer.RunEpoch();
  const MfModel served = trainer.ServingModel();
  CHECK(served.bias(1) - trainer.model().bias(1) > served.bias(0) - trainer.model().bias(0));
}
