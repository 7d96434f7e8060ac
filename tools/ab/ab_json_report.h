// The A/B report as one JSON object, for scripts and for the reference comparison test:
//
// {"experiment": "X", "alpha": 0.05, "split": 2, "rows_read": N,
//  "dropped": {"no_experiment": 0, "unknown_arm": 0, "after_final_last": 0, "malformed": 0},
//  "sample_ratio": {"chi_square": .., "dof": 1, "p_value": .., "mismatch": false,
//                   "threshold": 0.001, "observed": [..], "expected": [..]},
//  "arms": [{"arm": "C", "users": .., "sessions": .., "rows": ..}, ...],
//  "effects": [{"treatment": "T1", "metric": "time", "effect": .., "effect_pct": ..,
//               "lower_pct": .., "upper_pct": .., "control_mean": .., "treatment_mean": ..,
//               "control_n": .., "treatment_n": .., "control_var": .., "treatment_var": ..,
//               "dof": .., "significant": true}, ...]}
//
// With --config each arm also has "recommender"; with presentation.decision a last member
// "decision" holds engine/ab/decision.h's result:
//
//  "decision": {"primary": "mean_time_per_session", "correction": "holm", "alpha": 0.05,
//    "sequential": false, "mixing_sd": null, "cuped_theta": null or "pooled" or "per-arm",
//    "primary_tests": 1, "guardrail_tests": 4,
//    "cuped": null or {"pre_logs": "DIR", "pre_period_users": N,
//                      "users_without_pre_period": [per arm], "metrics": [{"metric": ..,
//                      "users_with_pre_period": .., "users_without_pre_period": ..}, ...]},
//    "verdicts": [{"treatment": "T1", "recommender": .. or null, "verdict": "better",
//                  "effect_pct": .., "lower_pct": .., "upper_pct": .., "p_value": ..,
//                  "p_adjusted": .., "guardrails_violated": ["mean_request_latency"]}, ...],
//    "comparisons": [{"treatment", "recommender", "metric", "role": "primary"|"guardrail",
//                     "better": "higher"|"lower", "effect", "effect_pct", "lower_pct",
//                     "upper_pct" (the decision's interval: delta-method, or always-valid
//                     with --sequential), "delta_lower_pct", "delta_upper_pct",
//                     "relative_se_pct", "control_mean", "treatment_mean", "control_var",
//                     "treatment_var", "control_n", "treatment_n" (of the values compared:
//                     CUPED-adjusted with a pre-period), "welch_p_value", "p_value",
//                     "p_adjusted", "outcome", "cuped": null or {"theta_control",
//                     "theta_treatment", "pre_period_mean", "users_with_pre_period",
//                     "users_without_pre_period" (C and T), "variance_reduction" (of the effect's
//                     estimate)}, "sequential": null or
//                     {"log_likelihood_ratio", "p_value", "lower_pct", "upper_pct"}}, ...]}
//
// Numbers are written in their shortest round-trip form (full double precision);
// undefined values (NaN, e.g. the interval of an arm with one user) are null.
#pragma once

#include <string>

#include "engine/ab/ab_analysis.h"
#include "tools/ab/ab_presentation.h"

namespace botify::tools {

std::string AbReportJson(const ab::AbReport& report, const AbPresentation& presentation = {});

}  // namespace botify::tools
