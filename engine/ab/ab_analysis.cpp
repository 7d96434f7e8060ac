#include "engine/ab/ab_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace botify::ab {

namespace {

Status CheckArmsPresent(const SessionizedLog& log, const AbOptions& options) {
  if (log.HighestArm() < 0) {
    std::string present = log.experiments_seen.empty()
                              ? std::string("none")
                              : fmt::format("{}", fmt::join(log.experiments_seen, ", "));
    return Status::NotFound(fmt::format(
        "experiment '{}' has no usable rows in the logs ({} rows read); experiments present: {}",
        options.experiment, log.rows_read, present));
  }
  if (log.arms[0].users == 0) {
    return Status::FailedPrecondition(
        fmt::format("experiment '{}': control arm C has no users", options.experiment));
  }
  if (log.HighestArm() == 0) {
    return Status::FailedPrecondition(fmt::format(
        "experiment '{}': only arm C has users, no treatment arm to compare", options.experiment));
  }
  if (options.split != 0 && log.HighestArm() >= options.split) {
    return Status::InvalidArgument(fmt::format(
        "experiment '{}': arm {} has users but --split is {} (arms C..{})", options.experiment,
        eventlog::ArmName(log.HighestArm()), options.split, eventlog::ArmName(options.split - 1)));
  }
  return Status::Ok();
}

ArmEffect CompareOnMetric(const SessionizedLog& log, int arm, UserMetric metric, double alpha) {
  ArmEffect e;
  e.treatment_arm = arm;
  e.metric = metric;
  e.control = Summarize(MetricSample(log, 0, metric));
  e.treatment = Summarize(MetricSample(log, arm, metric));
  e.interval = ComputeWelchInterval(e.control, e.treatment, alpha);
  const double scale = 100.0 / e.control.mean;
  e.effect_pct = e.interval.effect * scale;
  e.lower_pct = e.interval.lower() * scale;
  e.upper_pct = e.interval.upper() * scale;
  return e;
}

}  // namespace

const ArmEffect* FindEffect(const AbReport& report, int arm, UserMetric metric) {
  for (const ArmEffect& e : report.effects) {
    if (e.treatment_arm == arm && e.metric == metric) return &e;
  }
  return nullptr;
}

std::vector<double> MetricSample(const SessionizedLog& log, int arm, UserMetric metric) {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(log.arms[arm].users));
  for (const UserArmTotals& t : log.totals) {
    if (t.arm != arm) continue;
    if (auto v = UserMetricValue(metric, t)) values.push_back(*v);
  }
  return values;
}

Result<AbReport> AnalyzeExperiment(SessionizedLog log, const AbOptions& options,
                                   const SessionizedLog* pre_period) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  BOTIFY_RETURN_IF_ERROR(CheckArmsPresent(log, options));
  AbReport report;
  report.options = options;
  report.split = options.split != 0 ? options.split : log.HighestArm() + 1;
  std::vector<std::int64_t> users(static_cast<std::size_t>(report.split));
  for (int arm = 0; arm < report.split; ++arm) users[arm] = log.arms[arm].users;
  report.sample_ratio = CheckSampleRatio(users, options.srm_threshold);
  for (UserMetric metric : kUserMetrics) {
    for (int arm = 1; arm < eventlog::kMaxArms; ++arm) {
      if (log.arms[arm].users == 0) continue;
      report.effects.push_back(CompareOnMetric(log, arm, metric, options.alpha));
    }
  }
  std::stable_sort(report.effects.begin(), report.effects.end(),
                   [](const ArmEffect& a, const ArmEffect& b) {
                     return std::pair(UserMetricName(a.metric), a.treatment_arm) <
                            std::pair(UserMetricName(b.metric), b.treatment_arm);
                   });
  report.decision = Decide(log, pre_period, options);
  report.log = std::move(log);
  return report;
}

}  // namespace botify::ab
