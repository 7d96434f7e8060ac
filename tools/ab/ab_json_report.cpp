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
      Str(serving::ArmName(e.treatment_arm)), Str(ab::UserMetricName(e.metric)),
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

std::string ArmsJson(const ab::AbReport& report) {
  std::vector<std::string> arms;
  for (int arm = 0; arm < report.split; ++arm) {
    const auto& c = report.log.arms[arm];
    arms.push_back(fmt::format(R"({{"arm": {}, "users": {}, "sessions": {}, "rows": {}}})",
                               Str(serving::ArmName(arm)), c.users, c.sessions, c.rows));
  }
  return fmt::format("[{}]", fmt::join(arms, ",\n  "));
}

}  // namespace

std::string AbReportJson(const ab::AbReport& report) {
  const auto& d = report.log.dropped;
  std::vector<std::string> effects;
  for (const auto& e : report.effects) effects.push_back(EffectJson(e));
  return fmt::format(
      "{{\"experiment\": {}, \"alpha\": {}, \"split\": {}, \"rows_read\": {},\n"
      " \"dropped\": {{\"no_experiment\": {}, \"unknown_arm\": {}, \"after_final_last\": {}, "
      "\"malformed\": {}}},\n"
      " \"sample_ratio\": {},\n \"arms\": {},\n \"effects\": [\n  {}]}}\n",
      Str(report.options.experiment), Num(report.options.alpha), report.split, report.log.rows_read,
      d.no_experiment, d.unknown_arm, d.after_final_last, d.malformed, SampleRatioJson(report),
      ArmsJson(report), fmt::join(effects, ",\n  "));
}

}  // namespace botify::tools
