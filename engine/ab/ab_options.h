// Options of the A/B analyzer (docs/contracts.md §11). Parsed by `botify ab`, passed down as a
// value.
#pragma once

#include <string>

#include "base/status.h"
#include "engine/ab/cuped.h"
#include "engine/ab/p_value_adjustment.h"
#include "engine/ab/user_metric.h"

namespace botify::ab {

struct AbOptions {
  // Name of the experiment to analyse: rows are read through `experiments[experiment]`.
  // Required.
  std::string experiment;

  // Two-sided significance level of the confidence intervals, in (0, 1). Default 0.05
  // (95% intervals, as the seminar).
  double alpha = 0.05;

  // Configured number of arms of the experiment, for the sample-ratio-mismatch check
  // (expected users per arm = all users / split). 0 = take it from the logs: the highest
  // arm index seen + 1 (the number of arms seen when they are C, T1, ... without gaps).
  // Otherwise in [2, 9]; an arm at or beyond the split is an error.
  int split = 0;

  // A chi-square p-value below this flags a sample ratio mismatch. Default 0.001: strict,
  // because one analysis looks at many experiments and a false alarm costs a rerun.
  double srm_threshold = 0.001;

  // The decision (engine/ab/decision.h, docs/ab.md "Decisions"); the seminar's effects table
  // does not depend on these.

  // The metric the verdict is taken on; the other four are guardrails.
  UserMetric primary = UserMetric::kMeanTimePerSession;

  // Correction over the treatment arms on the primary metric, and separately over the
  // (arm, guardrail metric) tests. Holm by default: it bounds the chance of any false
  // "better", "worse" or "guardrail violated" at alpha whatever the arms' correlation.
  Correction correction = Correction::kHolm;

  // With a pre-period, how CUPED's theta is fitted per comparison (engine/ab/cuped.h): one
  // pooled over C and T (the paper's, the default), or one per arm (better when a treatment
  // multiplies the metric many times over).
  CupedTheta cuped_theta = CupedTheta::kPooled;

  // Always-valid (mSPRT) p-values and intervals instead of fixed-horizon ones, for an
  // experiment looked at more than once (engine/ab/sequential_test.h).
  bool sequential = false;

  // The mSPRT's normal mixing standard deviation on the relative effect (0.05 = 5%), > 0:
  // the effect size the sequential test detects fastest. Default 0.05 (docs/ab.md).
  double mixing_sd = 0.05;

  Status Validate() const;
};

}  // namespace botify::ab
