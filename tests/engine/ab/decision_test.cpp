// Decide() on hand-built per-user totals: verdicts by direction, guardrails, families,
// CUPED's bookkeeping of users without a pre-period, the sequential switch.
#include "engine/ab/decision.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "base/random.h"
#include "engine/ab/ab_analysis.h"
#include "engine/ab/p_value_adjustment.h"

using namespace botify;
using namespace botify::ab;

namespace {

// 300 users per arm: C, T1 (time per session +30%, latency +50%: better, latency violated),
// T2 (as C). Every user has 2 sessions of 6 tracks; time per session drawn around 3 (x1.3
// on T1) from the user's own level `base` (what a pre-period sees) plus noise.
SessionizedLog MakeLog(std::uint64_t seed, SessionizedLog* pre_period) {
  Rng rng(seed);
  SessionizedLog log;
  log.experiment = "EXP";
  for (UserId user = 0; user < 900; ++user) {
    const int arm = static_cast<int>(user % 3);
    const double base = 1 + 4 * rng.UniformDouble();
    const double per_session = (base + rng.UniformDouble()) * (arm == 1 ? 1.3 : 1.0);
    const double latency = (1 + rng.UniformDouble()) * (arm == 1 ? 1.5 : 1.0);
    log.totals.push_back({.user = user,
                          .arm = arm,
                          .sessions = 2,
                          .tracks = 12,
                          .time = 2 * per_session,
                          .latency_ms = 12 * latency});
    ++log.arms[arm].users;
    // Every user but each 10th is in the pre-period, with time from the same base.
    if (pre_period != nullptr && user % 10 != 0) {
      const double pre_session = base + rng.UniformDouble();
      pre_period->totals.push_back({.user = user,
                                    .arm = 0,
                                    .sessions = 2,
                                    .tracks = 12,
                                    .time = 2 * pre_session,
                                    .latency_ms = 12 * (1 + rng.UniformDouble())});
    }
  }
  return log;
}

AbOptions Options() {
  AbOptions o;
  o.experiment = "EXP";
  return o;
}

const Comparison& Find(const Decision& d, int arm, UserMetric metric) {
  for (const Comparison& c : d.comparisons) {
    if (c.treatment_arm == arm && c.metric == metric) return c;
  }
  FAIL("no comparison");
  return d.comparisons.front();
}

}  // namespace

TEST_CASE("the verdict is better on the primary and names a guardrail made worse",
          "[engine][ab][decision]") {
  SessionizedLog log = MakeLog(1, nullptr);
  Decision d = Decide(log, nullptr, Options());
  REQUIRE(d.verdicts.size() == 2);
  CHECK(d.primary_tests == 2);
  // sessions and tracks/session are constant (undefined tests): time and latency per arm.
  CHECK(d.guardrail_tests == 4);
  CHECK(d.comparisons.size() == 10);
  CHECK(d.comparisons[0].primary);
  CHECK(d.comparisons[0].metric == UserMetric::kMeanTimePerSession);
  const ArmVerdict& t1 = d.verdicts[0];
  CHECK(t1.arm == 1);
  CHECK(t1.verdict == Outcome::kBetter);
  REQUIRE(t1.guardrails_violated.size() == 1);
  CHECK(d.comparisons[t1.guardrails_violated[0]].metric == UserMetric::kMeanRequestLatency);
  CHECK(d.verdicts[1].verdict == Outcome::kNoEvidence);
  CHECK(d.verdicts[1].guardrails_violated.empty());
  // time is a guardrail and better on T1: not a violation.
  CHECK(Find(d, 1, UserMetric::kTime).outcome == Outcome::kBetter);
  CHECK_FALSE(d.cuped);
}

TEST_CASE("a lower-is-better primary turns a latency increase into 'worse'",
          "[engine][ab][decision]") {
  SessionizedLog log = MakeLog(2, nullptr);
  AbOptions o = Options();
  o.primary = UserMetric::kMeanRequestLatency;
  Decision d = Decide(log, nullptr, o);
  CHECK(d.verdicts[0].verdict == Outcome::kWorse);
  CHECK(d.comparisons[d.verdicts[0].primary].metric == UserMetric::kMeanRequestLatency);
  CHECK(d.verdicts[0].guardrails_violated.empty());  // time per session is better
}

TEST_CASE("the adjusted p-value is Holm's over the arms on the primary", "[engine][ab][decision]") {
  SessionizedLog log = MakeLog(3, nullptr);
  AbOptions o = Options();
  o.correction = Correction::kNone;
  Decision raw = Decide(log, nullptr, o);
  o.correction = Correction::kHolm;
  Decision holm = Decide(log, nullptr, o);
  const Comparison& r1 = Find(raw, 1, UserMetric::kMeanTimePerSession);
  const Comparison& r2 = Find(raw, 2, UserMetric::kMeanTimePerSession);
  CHECK(r2.p_adjusted == r2.p_value);
  const std::vector<double> p = {r1.p_value, r2.p_value};
  const std::vector<double> want = AdjustPValues(p, Correction::kHolm);
  CHECK(Find(holm, 1, UserMetric::kMeanTimePerSession).p_adjusted == want[0]);
  CHECK(Find(holm, 2, UserMetric::kMeanTimePerSession).p_adjusted == want[1]);
  CHECK(Find(holm, 2, UserMetric::kMeanTimePerSession).p_adjusted >= r2.p_value);
}

TEST_CASE("CUPED narrows the interval, keeps the effect and counts users without a pre-period",
          "[engine][ab][decision]") {
  SessionizedLog pre;
  SessionizedLog log = MakeLog(4, &pre);
  Decision plain = Decide(log, nullptr, Options());
  Decision cuped = Decide(log, &pre, Options());
  REQUIRE(cuped.cuped);
  CHECK(cuped.pre_period_users == 810);
  // Users 0, 10, 20, ... are absent: 30 in each arm (user % 3 cycles within them).
  CHECK(cuped.users_without_pre_period[0] == 30);
  CHECK(cuped.users_without_pre_period[1] == 30);
  CHECK(cuped.users_without_pre_period[2] == 30);
  REQUIRE(cuped.cuped_coverage.size() == 5);
  CHECK(cuped.cuped_coverage[4].metric == UserMetric::kMeanTimePerSession);
  CHECK(cuped.cuped_coverage[4].users_without == 90);
  CHECK(cuped.cuped_coverage[4].users_with == 810);
  const Comparison& a = Find(plain, 1, UserMetric::kMeanTimePerSession);
  const Comparison& b = Find(cuped, 1, UserMetric::kMeanTimePerSession);
  REQUIRE(b.is_cuped);
  CHECK(b.cuped.users_without_covariate == 60);  // C's and T1's
  CHECK(b.variance_reduction > 0.5);
  CHECK(b.cuped.theta[0] == b.cuped.theta[1]);  // pooled
  CHECK(b.relative.half_width < 0.8 * a.relative.half_width);
  // Both estimate the planted +30%; CUPED's moves by about rho x the raw standard error.
  CHECK(std::abs(a.relative.estimate - 0.3) < 3 * a.relative.standard_error);
  CHECK(std::abs(b.relative.estimate - 0.3) < 3 * b.relative.standard_error);
  CHECK(std::abs(b.relative.estimate - a.relative.estimate) < 3 * a.relative.standard_error);
  // T1 multiplies time per session by 1.3: its own slope is steeper than C's.
  AbOptions per_arm = Options();
  per_arm.cuped_theta = CupedTheta::kPerArm;
  const Decision separate = Decide(log, &pre, per_arm);
  const Comparison& p = Find(separate, 1, UserMetric::kMeanTimePerSession);
  CHECK(p.cuped.theta[1] > 1.15 * p.cuped.theta[0]);
  CHECK(p.variance_reduction >= b.variance_reduction - 1e-9);
}

TEST_CASE("--sequential replaces the p-values and intervals by always-valid ones",
          "[engine][ab][decision]") {
  SessionizedLog log = MakeLog(5, nullptr);
  AbOptions o = Options();
  o.sequential = true;
  Decision d = Decide(log, nullptr, o);
  const Comparison& c = Find(d, 2, UserMetric::kMeanTimePerSession);
  CHECK(c.is_sequential);
  CHECK(c.p_value == c.sequential.p_value);
  CHECK(c.p_value >= c.welch.p_value);
  CHECK(c.upper() - c.lower() > c.relative.upper() - c.relative.lower());
  CHECK(d.verdicts[0].verdict == Outcome::kBetter);
}

TEST_CASE("AnalyzeExperiment fills the decision beside the unchanged seminar table",
          "[engine][ab][decision]") {
  SessionizedLog log = MakeLog(6, nullptr);
  auto report = AnalyzeExperiment(log, Options());
  REQUIRE(report.ok());
  CHECK(report->effects.size() == 10);
  CHECK(report->decision.verdicts.size() == 2);
  AbOptions bad = Options();
  bad.mixing_sd = 0;
  CHECK_FALSE(AnalyzeExperiment(log, bad).ok());
}
