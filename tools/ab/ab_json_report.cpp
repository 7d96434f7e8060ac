#include "tools/ab/ab_json_report.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <vector>

namespace botify::tools {

namespace {

std::string Num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

std::string Str(std::string_view s) { return boost::json::serialize(boost::json::string(s)); }

std::string EffectJson(const ab::ArmEffect& e) {
  return fmt::format(
      R"({{"treatment": {}, "metric": {}, "effect": {}, "effect_pct": {}, "lower_pct": {}, )"
      R"("upper_pct": {}, "control_mean": {}, "treatment_mean": {}, "control_n": {}, )"
      R"("treatment_n": {}, "control_var": {}, "treatment_var": {}, "dof": {}, )"
      R"("significant": {}}})",
      Str(eventlog::ArmName(e.treatment_arm)), Str(ab::UserMetricName(e.metric)),
      Num(e.interval.effect), Num(e.effect_pct), Num(e.lower_pct), Num(e.upper_pct),
      Num(e.control.mean), Num(e.treatment.mean), e.control.n, e.treatment.n,
      Num(e.control.variance), Num(e.treatment.variance), Num(e.interval.dof),
      e.interval.significant());
}

std::string SampleRatioJson(const ab::AbReport& report) {
  const auto& s = report.sample_ratio;
  std::vector<std::string> expected;
  for (double x : s.expected) expected.push_back(Num(x));
  return fmt::format(
      R"({{"chi_square": {}, "dof": {}, "p_value": {}, "mismatch": {}, "threshold": {}, )"
      R"("observed": [{}], "expected": [{}]}})",
      Num(s.chi_square), s.dof, Num(s.p_value), s.mismatch, Num(report.options.srm_threshold),
      fmt::join(s.observed, ", "), fmt::join(expected, ", "));
}

// With --config, each arm also names its "recommender".
std::string ArmsJson(const ab::AbReport& report, const AbPresentation& presentation) {
  std::vector<std::string> arms;
  for (int arm = 0; arm < report.split; ++arm) {
    const auto& c = report.log.arms[arm];
    const std::string recommender =
        presentation.has_recommenders()
            ? fmt::format(R"(, "recommender": {})", Str(presentation.recommenders[arm]))
            : "";
    arms.push_back(fmt::format(R"({{"arm": {}{}, "users": {}, "sessions": {}, "rows": {}}})",
                               Str(eventlog::ArmName(arm)), recommender, c.users, c.sessions,
                               c.rows));
  }
  return fmt::format("[{}]", fmt::join(arms, ",\n  "));
}

std::string Pct(double fraction) { return Num(100 * fraction); }

std::string ComparisonJson(const ab::Comparison& c, const AbPresentation& presentation) {
  std::string cuped = "null";
  if (c.is_cuped) {
    cuped = fmt::format(R"({{"theta_control": {}, "theta_treatment": {}, "pre_period_mean": {}, )"
                        R"("users_with_pre_period": {}, "users_without_pre_period": {}, )"
                        R"("variance_reduction": {}}})",
                        Num(c.cuped.theta[0]), Num(c.cuped.theta[1]), Num(c.cuped.covariate_mean),
                        c.cuped.users_with_covariate, c.cuped.users_without_covariate,
                        Num(c.variance_reduction));
  }
  std::string sequential = "null";
  if (c.is_sequential) {
    sequential = fmt::format(
        R"({{"log_likelihood_ratio": {}, "p_value": {}, "lower_pct": {}, "upper_pct": {}}})",
        Num(c.sequential.log_likelihood_ratio), Num(c.sequential.p_value), Pct(c.lower()),
        Pct(c.upper()));
  }
  return fmt::format(
      R"({{"treatment": {}, "recommender": {}, "metric": {}, "role": {}, "better": {}, )"
      R"("effect": {}, "effect_pct": {}, "lower_pct": {}, "upper_pct": {}, )"
      R"("delta_lower_pct": {}, "delta_upper_pct": {}, "relative_se_pct": {}, )"
      R"("control_mean": {}, "treatment_mean": {}, "control_var": {}, "treatment_var": {}, )"
      R"("control_n": {}, "treatment_n": {}, "welch_p_value": {}, "p_value": {}, )"
      R"("p_adjusted": {}, "outcome": {}, "cuped": {}, "sequential": {}}})",
      Str(eventlog::ArmName(c.treatment_arm)),
      presentation.has_recommenders() ? Str(presentation.recommenders[c.treatment_arm]) : "null",
      Str(ab::UserMetricName(c.metric)), Str(c.primary ? "primary" : "guardrail"),
      Str(ab::MetricDirection(c.metric) == ab::Direction::kHigherIsBetter ? "higher" : "lower"),
      Num(c.welch.effect), Pct(c.relative.estimate), Pct(c.lower()), Pct(c.upper()),
      Pct(c.relative.lower()), Pct(c.relative.upper()), Pct(c.relative.standard_error),
      Num(c.control.mean), Num(c.treatment.mean), Num(c.control.variance),
      Num(c.treatment.variance), c.control.n, c.treatment.n, Num(c.welch.p_value), Num(c.p_value),
      Num(c.p_adjusted), Str(ab::OutcomeName(c.outcome)), cuped, sequential);
}

std::string VerdictJson(const ab::Decision& d, const ab::ArmVerdict& v,
                        const AbPresentation& presentation) {
  std::vector<std::string> violated;
  for (std::size_t i : v.guardrails_violated) {
    violated.push_back(Str(ab::UserMetricName(d.comparisons[i].metric)));
  }
  const ab::Comparison& p = d.comparisons[v.primary];
  return fmt::format(
      R"({{"treatment": {}, "recommender": {}, "verdict": {}, "effect_pct": {}, )"
      R"("lower_pct": {}, "upper_pct": {}, "p_value": {}, "p_adjusted": {}, )"
      R"("guardrails_violated": [{}]}})",
      Str(eventlog::ArmName(v.arm)),
      presentation.has_recommenders() ? Str(presentation.recommenders[v.arm]) : "null",
      Str(ab::OutcomeName(v.verdict)), Pct(p.relative.estimate), Pct(p.lower()), Pct(p.upper()),
      Num(p.p_value), Num(p.p_adjusted), fmt::join(violated, ", "));
}

std::string CupedJson(const ab::AbReport& report, const AbPresentation& presentation) {
  const ab::Decision& d = report.decision;
  if (!d.cuped) return "null";
  std::vector<std::string> metrics;
  for (const ab::CupedCoverage& m : d.cuped_coverage) {
    metrics.push_back(fmt::format(
        R"({{"metric": {}, "users_with_pre_period": {}, "users_without_pre_period": {}}})",
        Str(ab::UserMetricName(m.metric)), m.users_with, m.users_without));
  }
  std::vector<std::int64_t> absent(d.users_without_pre_period.begin(),
                                   d.users_without_pre_period.begin() + report.split);
  return fmt::format(
      "{{\"pre_logs\": {}, \"pre_period_users\": {}, \"users_without_pre_period\": [{}],\n"
      "   \"metrics\": [\n    {}]}}",
      Str(presentation.pre_period), d.pre_period_users, fmt::join(absent, ", "),
      fmt::join(metrics, ",\n    "));
}

std::string DecisionJson(const ab::AbReport& report, const AbPresentation& presentation) {
  const ab::Decision& d = report.decision;
  const ab::AbOptions& o = report.options;
  std::vector<std::string> verdicts, comparisons;
  for (const ab::ArmVerdict& v : d.verdicts) verdicts.push_back(VerdictJson(d, v, presentation));
  for (const ab::Comparison& c : d.comparisons) {
    comparisons.push_back(ComparisonJson(c, presentation));
  }
  return fmt::format(
      "{{\"primary\": {}, \"correction\": {}, \"alpha\": {}, \"sequential\": {}, "
      "\"mixing_sd\": {}, \"cuped_theta\": {},\n  \"primary_tests\": {}, "
      "\"guardrail_tests\": {},\n"
      "  \"cuped\": {},\n  \"verdicts\": [\n   {}],\n  \"comparisons\": [\n   {}]}}",
      Str(ab::UserMetricName(o.primary)), Str(ab::CorrectionName(o.correction)), Num(o.alpha),
      o.sequential, o.sequential ? Num(o.mixing_sd) : "null",
      d.cuped ? Str(ab::CupedThetaName(o.cuped_theta)) : "null", d.primary_tests, d.guardrail_tests,
      CupedJson(report, presentation), fmt::join(verdicts, ",\n   "),
      fmt::join(comparisons, ",\n   "));
}

}  // namespace

std::string AbReportJson(const ab::AbReport& report, const AbPresentation& presentation) {
  const auto& d = report.log.dropped;
  std::vector<std::string> effects;
  for (const auto& e : report.effects) effects.push_back(EffectJson(e));
  return fmt::format(
      "{{\"experiment\": {}, \"alpha\": {}, \"split\": {}, \"rows_read\": {},\n"
      " \"dropped\": {{\"no_experiment\": {}, \"unknown_arm\": {}, \"after_final_last\": {}, "
      "\"malformed\": {}}},\n"
      " \"sample_ratio\": {},\n \"arms\": {},\n \"effects\": [\n  {}]{}}}\n",
      Str(report.options.experiment), Num(report.options.alpha), report.split, report.log.rows_read,
      d.no_experiment, d.unknown_arm, d.after_final_last, d.malformed, SampleRatioJson(report),
      ArmsJson(report, presentation), fmt::join(effects, ",\n  "),
      presentation.decision ? ",\n \"decision\": " + DecisionJson(report, presentation) : "");
}

}  // namespace botify::tools
