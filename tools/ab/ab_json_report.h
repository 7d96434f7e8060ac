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
// Numbers are written in their shortest round-trip form (full double precision);
// undefined values (NaN, e.g. the interval of an arm with one user) are null.
#pragma once

#include <string>

#include "engine/ab/ab_analysis.h"

namespace botify::tools {

std::string AbReportJson(const ab::AbReport& report);

}  // namespace botify::tools
