#include "engine/ab/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/ab/p_value_adjustment.h"

namespace botify::ab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// For every (user, arm) of `log`, that user's pre-period totals, or null when the user is
// not in the pre-period.
std::vector<const UserArmTotals*> MatchPrePeriod(const SessionizedLog& log,
                                                 const SessionizedLog& pre) {
  std::vector<const UserArmTotals*> match(log.totals.size(), nullptr);
  for (std::size_t i = 0; i < log.totals.size(); ++i) {
    const UserId user = log.totals[i].user;
    auto it = std::lower_bound(pre.totals.begin(), pre.totals.end(), user,
                               [](const UserArmTotals& t, UserId u) { return t.user < u; });
    if (it != pre.totals.end() && it->user == user) match[i] = &*it;
  }
  return match;
}

// Per arm, the users' values of `metric` and their pre-period covariates (NaN = none).
std::array<CupedArm, eventlog::kMaxArms> ArmSamples(const SessionizedLog& log,
                                                    const std::vector<const UserArmTotals*>& pre,
                                                    UserMetric metric) {
  std::array<CupedArm, eventlog::kMaxArms> arms;
  for (std::size_t i = 0; i < log.totals.size(); ++i) {
    const UserArmTotals& t = log.totals[i];
    auto y = UserMetricValue(metric, t);
    if (!y) continue;
    std::optional<double> x;
    if (!pre.empty() && pre[i] != nullptr) x = UserMetricValue(metric, *pre[i]);
    arms[t.arm].y.push_back(*y);
    arms[t.arm].x.push_back(x.value_or(kNaN));
  }
  return arms;
}

// The arms that have users, C first.
std::vector<int> ArmsWithUsers(const SessionizedLog& log) {
  std::vector<int> arms;
  for (int arm = 0; arm < eventlog::kMaxArms; ++arm) {
    if (log.arms[arm].users > 0) arms.push_back(arm);
  }
  return arms;
}

// T (`arm`) against C on `metric`, from the arms' values and pre-period covariates; with
// `cuped`, on CUPED-adjusted values fitted on the two arms (options.cuped_theta).
Comparison Compare(int arm, UserMetric metric, const CupedArm& control, const CupedArm& treatment,
                   bool cuped, const AbOptions& options) {
  Comparison c;
  c.treatment_arm = arm;
  c.metric = metric;
  c.primary = metric == options.primary;
  c.control = Summarize(control.y);
  c.treatment = Summarize(treatment.y);
  c.welch = ComputeWelchInterval(c.control, c.treatment, options.alpha);
  c.relative = ComputeRelativeEffect(c.control, c.treatment, options.alpha);
  if (cuped) {
    const double raw_se = c.relative.standard_error;
    c.is_cuped = true;
    const CupedArm pair[] = {control, treatment};
    c.cuped = FitCuped(pair, options.cuped_theta);
    c.control = Summarize(CupedAdjust(control, c.cuped, 0));
    c.treatment = Summarize(CupedAdjust(treatment, c.cuped, 1));
    c.welch = ComputeWelchInterval(c.control, c.treatment, options.alpha);
    c.relative = ComputeRelativeEffect(c.control, c.treatment, options.alpha);
    const double se = c.relative.standard_error;
    c.variance_reduction = 1 - (se * se) / (raw_se * raw_se);
  }
  c.p_value = c.welch.p_value;
  if (options.sequential) {
    c.is_sequential = true;
    c.sequential = MixtureSequentialTest(c.relative.estimate,
                                         c.relative.standard_error * c.relative.standard_error,
                                         options.mixing_sd, options.alpha);
    c.p_value = c.sequential.p_value;
  }
  return c;
}

// Adjusts the p-values of the comparisons for which `in_family` holds, as one family; returns
// the number of defined p-values in it.
template <typename Pred>
int AdjustFamily(std::vector<Comparison>* comparisons, Correction correction, Pred in_family) {
  std::vector<std::size_t> members;
  std::vector<double> p;
  for (std::size_t i = 0; i < comparisons->size(); ++i) {
    if (!in_family((*comparisons)[i])) continue;
    members.push_back(i);
    p.push_back((*comparisons)[i].p_value);
  }
  const std::vector<double> adjusted = AdjustPValues(p, correction);
  for (std::size_t k = 0; k < members.size(); ++k) {
    (*comparisons)[members[k]].p_adjusted = adjusted[k];
  }
  return static_cast<int>(
      std::count_if(p.begin(), p.end(), [](double v) { return !std::isnan(v); }));
}

Outcome OutcomeOf(const Comparison& c, double alpha) {
  if (!(c.p_adjusted < alpha)) return Outcome::kNoEvidence;
  return IsImprovement(c.metric, c.welch.effect) ? Outcome::kBetter : Outcome::kWorse;
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNoEvidence:
      return "no evidence";
    case Outcome::kBetter:
      return "better";
    case Outcome::kWorse:
      return "worse";
  }
  return "?";
}

double Comparison::lower() const {
  return relative.estimate - (is_sequential ? sequential.half_width : relative.half_width);
}

double Comparison::upper() const {
  return relative.estimate + (is_sequential ? sequential.half_width : relative.half_width);
}

Decision Decide(const SessionizedLog& log, const SessionizedLog* pre_period,
                const AbOptions& options) {
  Decision d;
  const std::vector<int> arms = ArmsWithUsers(log);
  std::vector<const UserArmTotals*> pre;
  if (pre_period != nullptr) {
    d.cuped = true;
    d.pre_period_users = static_cast<std::int64_t>(pre_period->totals.size());
    pre = MatchPrePeriod(log, *pre_period);
    for (std::size_t i = 0; i < pre.size(); ++i) {
      if (pre[i] == nullptr) ++d.users_without_pre_period[log.totals[i].arm];
    }
  }
  std::array<std::array<CupedArm, eventlog::kMaxArms>, kUserMetrics.size()> samples;
  for (std::size_t m = 0; m < kUserMetrics.size(); ++m) {
    samples[m] = ArmSamples(log, pre, kUserMetrics[m]);
    if (!d.cuped) continue;
    CupedCoverage coverage{.metric = kUserMetrics[m]};
    for (int arm : arms) {
      for (double x : samples[m][arm].x)
        ++(std::isnan(x) ? coverage.users_without : coverage.users_with);
    }
    d.cuped_coverage.push_back(coverage);
  }
  const auto primary = static_cast<std::size_t>(
      std::find(kUserMetrics.begin(), kUserMetrics.end(), options.primary) - kUserMetrics.begin());
  for (int arm : arms) {
    if (arm == 0) continue;
    auto add = [&](std::size_t m) {
      d.comparisons.push_back(
          Compare(arm, kUserMetrics[m], samples[m][0], samples[m][arm], d.cuped, options));
    };
    add(primary);
    for (std::size_t m = 0; m < kUserMetrics.size(); ++m) {
      if (m != primary) add(m);
    }
  }
  d.primary_tests = AdjustFamily(&d.comparisons, options.correction,
                                 [](const Comparison& c) { return c.primary; });
  d.guardrail_tests = AdjustFamily(&d.comparisons, options.correction,
                                   [](const Comparison& c) { return !c.primary; });
  for (std::size_t i = 0; i < d.comparisons.size(); ++i) {
    Comparison& c = d.comparisons[i];
    c.outcome = OutcomeOf(c, options.alpha);
    if (c.primary) {
      d.verdicts.push_back(
          {.arm = c.treatment_arm, .verdict = c.outcome, .primary = i, .guardrails_violated = {}});
    } else if (c.outcome == Outcome::kWorse) {
      d.verdicts.back().guardrails_violated.push_back(i);
    }
  }
  return d;
}

}  // namespace botify::ab
