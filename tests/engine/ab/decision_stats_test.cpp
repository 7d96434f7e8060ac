// The decision's statistics against independently computed values: the JSON fixture
// decision_reference.json is the output of `tests/tools/ab_decision_reference.py --unit`
// (numpy/pandas, other formulations than the C++), and Benjamini & Hochberg's (1995) worked
// example of 15 p-values, whose rejections at 0.05 are published (BH 4, Bonferroni-type 3).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "base/file.h"
#include "engine/ab/cuped.h"
#include "engine/ab/p_value_adjustment.h"
#include "engine/ab/relative_effect.h"
#include "engine/ab/sequential_test.h"
#include "engine/ab/welch_interval.h"

using namespace botify::ab;

namespace {

const boost::json::object& Reference() {
  static const boost::json::object reference = [] {
    std::string text;
    const std::string path =
        std::string(BOTIFY_SOURCE_DIR) + "/tests/engine/ab/decision_reference.json";
    REQUIRE(botify::ReadWholeFile(path, &text).ok());
    return boost::json::parse(text).as_object();
  }();
  return reference;
}

double Num(const boost::json::value& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.to_number<double>();
}

std::vector<double> Numbers(const boost::json::value& v) {
  std::vector<double> out;
  for (const auto& x : v.as_array()) out.push_back(Num(x));
  return out;
}

void CheckSame(const std::vector<double>& ours, const std::vector<double>& theirs) {
  REQUIRE(ours.size() == theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    INFO("index " << i << ": botify " << ours[i] << ", reference " << theirs[i]);
    if (std::isnan(theirs[i])) {
      CHECK(std::isnan(ours[i]));
    } else {
      CHECK(ours[i] == Approx(theirs[i]).epsilon(1e-12).margin(1e-15));
    }
  }
}

int Rejected(const std::vector<double>& adjusted, double alpha) {
  int n = 0;
  for (double p : adjusted) n += p < alpha;
  return n;
}

}  // namespace

TEST_CASE("Holm and BH equal the reference on Benjamini & Hochberg's 15 p-values",
          "[engine][ab][decision]") {
  const auto& bh95 = Reference().at("bh95");
  const std::vector<double> p = Numbers(bh95.at("p"));
  const std::vector<double> holm = AdjustPValues(p, Correction::kHolm);
  const std::vector<double> bh = AdjustPValues(p, Correction::kBenjaminiHochberg);
  CheckSame(holm, Numbers(bh95.at("holm")));
  CheckSame(bh, Numbers(bh95.at("bh")));
  // The paper's worked example: BH rejects the four smallest at 0.05, the Bonferroni-type
  // procedures three.
  CHECK(Rejected(bh, 0.05) == 4);
  CHECK(Rejected(holm, 0.05) == 3);
  CHECK(AdjustPValues(p, Correction::kNone) == p);
}

TEST_CASE("Holm and BH keep input order with ties, and NaN stays out of the family",
          "[engine][ab][decision]") {
  const auto& ties = Reference().at("ties");
  const std::vector<double> p = Numbers(ties.at("p"));
  CheckSame(AdjustPValues(p, Correction::kHolm), Numbers(ties.at("holm")));
  CheckSame(AdjustPValues(p, Correction::kBenjaminiHochberg), Numbers(ties.at("bh")));
  // m = 5, not 6: the NaN is not a test. Holm's smallest is 5 x 0.01.
  CHECK(AdjustPValues(p, Correction::kHolm)[1] == Approx(0.05));
  CHECK(AdjustPValues(std::vector<double>{}, Correction::kHolm).empty());
}

TEST_CASE("corrections parse by name and refuse others", "[engine][ab][decision]") {
  CHECK(*ParseCorrection("holm") == Correction::kHolm);
  CHECK(*ParseCorrection("bh") == Correction::kBenjaminiHochberg);
  CHECK(*ParseCorrection("none") == Correction::kNone);
  auto bad = ParseCorrection("bonferroni");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("bonferroni") && Catch::Contains("holm"));
}

TEST_CASE("the delta-method relative interval equals the reference's gradient form",
          "[engine][ab][decision]") {
  const auto& delta = Reference().at("delta");
  const std::vector<double> a = Numbers(delta.at("args"));
  const std::vector<double> want = Numbers(delta.at("value"));
  SampleSummary control{static_cast<std::int64_t>(a[2]), a[0], a[1]};
  SampleSummary treatment{static_cast<std::int64_t>(a[5]), a[3], a[4]};
  RelativeEffect r = ComputeRelativeEffect(control, treatment, a[6]);
  CheckSame({r.estimate, r.standard_error, r.lower(), r.upper()}, want);
  // Wider than the seminar's interval divided by mean_C, which treats mean_C as exact.
  WelchInterval w = ComputeWelchInterval(control, treatment, a[6]);
  CHECK(r.half_width > 1.9599 * w.standard_error / control.mean);
}

TEST_CASE("the relative effect is undefined for a zero control mean or one user",
          "[engine][ab][decision]") {
  CHECK(std::isnan(ComputeRelativeEffect({10, 0, 1}, {10, 1, 1}, 0.05).estimate));
  RelativeEffect one = ComputeRelativeEffect({10, 2, 1}, {1, 3, NAN}, 0.05);
  CHECK(one.estimate == Approx(0.5));
  CHECK(std::isnan(one.half_width));
}

TEST_CASE("CUPED's pooled theta, mean and adjusted values equal the least-squares reference",
          "[engine][ab][decision]") {
  const auto& cuped = Reference().at("cuped");
  std::vector<CupedArm> arms;
  for (const auto& arm : cuped.at("arms").as_array()) {
    arms.push_back({Numbers(arm.at("y")), Numbers(arm.at("x"))});
  }
  CupedFit fit = FitCuped(arms, CupedTheta::kPooled);
  REQUIRE(fit.theta.size() == 3);
  for (double theta : fit.theta) {
    CHECK(theta == Approx(Num(cuped.at("theta"))).epsilon(1e-12));
  }
  CHECK(fit.covariate_mean == Approx(Num(cuped.at("mean_x"))).epsilon(1e-12));
  CHECK(fit.variance_reduction == Approx(Num(cuped.at("variance_reduction"))).epsilon(1e-12));
  std::vector<double> means;
  std::int64_t without = 0;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    means.push_back(Summarize(CupedAdjust(arms[a], fit, a)).mean);
    for (double x : arms[a].x) without += std::isnan(x);
  }
  CheckSame(means, Numbers(cuped.at("adjusted_means")));
  CHECK(fit.users_without_covariate == without);
  CHECK(fit.users_with_covariate == 1050 - without);
}

TEST_CASE("CUPED's per-arm thetas equal each arm's own least-squares slope",
          "[engine][ab][decision]") {
  const auto& cuped = Reference().at("cuped");
  std::vector<CupedArm> arms;
  for (const auto& arm : cuped.at("arms").as_array()) {
    arms.push_back({Numbers(arm.at("y")), Numbers(arm.at("x"))});
  }
  CupedFit fit = FitCuped(arms, CupedTheta::kPerArm);
  CheckSame(fit.theta, Numbers(cuped.at("per_arm_theta")));
  CHECK(fit.covariate_mean == Approx(Num(cuped.at("mean_x"))).epsilon(1e-12));
  std::vector<double> means;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    means.push_back(Summarize(CupedAdjust(arms[a], fit, a)).mean);
  }
  CheckSame(means, Numbers(cuped.at("per_arm_adjusted_means")));
  // Each arm's own slope removes at least as much variance as the pooled one.
  CHECK(fit.variance_reduction ==
        Approx(Num(cuped.at("per_arm_variance_reduction"))).epsilon(1e-12));
  CHECK(fit.variance_reduction >= FitCuped(arms, CupedTheta::kPooled).variance_reduction);
  CHECK(*ParseCupedTheta("per-arm") == CupedTheta::kPerArm);
  CHECK_FALSE(ParseCupedTheta("separate").ok());
}

TEST_CASE("CUPED without usable pre-period values leaves every value as it is",
          "[engine][ab][decision]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<CupedArm> arms = {{{1, 2, 3}, {nan, nan, nan}}, {{4, 5, 9}, {2, 2, 2}}};
  CupedFit fit = FitCuped(arms);
  CHECK(fit.theta == std::vector<double>{0, 0});  // no variation in x
  CHECK(fit.users_with_covariate == 3);
  CHECK(fit.users_without_covariate == 3);
  CHECK(CupedAdjust(arms[1], fit, 1) == arms[1].y);
  CHECK(fit.variance_reduction == 0);
}

TEST_CASE("the mSPRT statistic equals Johari et al.'s two-sample form, its interval the bisection",
          "[engine][ab][decision]") {
  const auto& m = Reference().at("msprt");
  const double n = Num(m.at("n")), big_v = Num(m.at("V")), tau2 = Num(m.at("tau2"));
  const double diff = Num(m.at("diff"));
  SequentialTest t = MixtureSequentialTest(diff, big_v / n, std::sqrt(tau2), 0.05);
  CHECK(t.log_likelihood_ratio == Approx(std::log(Num(m.at("lambda")))).epsilon(1e-12));
  CHECK(t.p_value == Approx(1 / Num(m.at("lambda"))).epsilon(1e-12));
  CHECK(t.half_width == Approx(Num(m.at("half_width"))).epsilon(1e-10));
  // The interval is exactly where the statistic reaches 1/alpha.
  SequentialTest edge = MixtureSequentialTest(t.half_width, big_v / n, std::sqrt(tau2), 0.05);
  CHECK(edge.p_value == Approx(0.05).epsilon(1e-10));
  // A huge effect does not overflow.
  SequentialTest huge = MixtureSequentialTest(10, 1e-4, 0.05, 0.05);
  CHECK(huge.p_value == 0);
  CHECK(std::isfinite(huge.log_likelihood_ratio));
  CHECK(std::isnan(MixtureSequentialTest(0.1, 0, 0.05, 0.05).p_value));
}

TEST_CASE("the always-valid interval is wider than the fixed-horizon one at any sample size",
          "[engine][ab][decision]") {
  for (double v : {1e-6, 1e-4, 1e-2, 1.0}) {
    INFO("variance " << v);
    CHECK(MixtureSequentialTest(0, v, 0.05, 0.05).half_width > 1.96 * std::sqrt(v));
  }
}

TEST_CASE("Welch's p-value matches the reference and is alpha at the interval's edge",
          "[engine][ab][decision]") {
  // c = 1..5, t = 2, 4, .., 12 (the seminar test's sample): tests/tools/ab_decision_reference.py
  // welch_p(3, 2.5, 5, 7, 14, 6).
  WelchInterval w = ComputeWelchInterval({5, 3, 2.5}, {6, 7, 14}, 0.05);
  CHECK(w.p_value == Approx(0.04928433820673051).epsilon(1e-10));
  // Effect exactly at the half width: p = alpha (the same t distribution).
  WelchInterval edge = ComputeWelchInterval({5, 3, 2.5}, {6, 3 + w.half_width, 14}, 0.05);
  CHECK(edge.p_value == Approx(0.05).epsilon(1e-10));
  CHECK(std::isnan(ComputeWelchInterval({3, 2, 0}, {3, 2, 0}, 0.05).p_value));
}
