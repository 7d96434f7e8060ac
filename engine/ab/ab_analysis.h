// The A/B analysis of one experiment (docs/contracts.md §11): per-arm summaries of the five
// user-level metrics, Welch intervals of every treatment arm against C, and a sample-ratio check;
// and beside it the decision (engine/ab/decision.h: corrected p-values, relative intervals,
// CUPED with a pre-period, verdicts).
#pragma once

#include <vector>

#include "base/status.h"
#include "engine/ab/ab_options.h"
#include "engine/ab/decision.h"
#include "engine/ab/sample_ratio_check.h"
#include "engine/ab/sessionizer.h"
#include "engine/ab/user_metric.h"
#include "engine/ab/welch_interval.h"

namespace botify::ab {

// One row of the effects table: treatment arm T vs C on one metric.
struct ArmEffect {
  int treatment_arm = 1;
  UserMetric metric = UserMetric::kTime;
  SampleSummary control;
  SampleSummary treatment;
  WelchInterval interval;
  // effect, lower and upper as % of the control mean.
  double effect_pct = 0;
  double lower_pct = 0;
  double upper_pct = 0;
};

struct AbReport {
  AbOptions options;
  int split = 2;  // the split used by the sample-ratio check (options.split or inferred)
  SampleRatioCheck sample_ratio;
  SessionizedLog log;
  // Sorted like the seminar's table: by metric name, then treatment arm.
  std::vector<ArmEffect> effects;
  // Computed always; the seminar's outputs print it only when asked (tools/ab/).
  Decision decision;
};

// The seminar's row of treatment `arm` on `metric`; null if there is none.
const ArmEffect* FindEffect(const AbReport& report, int arm, UserMetric metric);

// Values of `metric` for every (user, arm) of `arm` that has one.
std::vector<double> MetricSample(const SessionizedLog& log, int arm, UserMetric metric);

// Errors: NotFound when no row carries the experiment (the message lists the experiments
// present); FailedPrecondition when arm C or every treatment arm has no users;
// InvalidArgument when an arm lies at or beyond options.split. `pre_period` (may be null):
// per-user totals of a pre-period (Sessionizer::ForAllRows) for CUPED in the decision.
Result<AbReport> AnalyzeExperiment(SessionizedLog log, const AbOptions& options,
                                   const SessionizedLog* pre_period = nullptr);

}  // namespace botify::ab
