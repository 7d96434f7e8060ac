// Options of the A/B analyzer (docs/contracts.md §11). Parsed by `botify ab`, passed down as a
// value.
#pragma once

#include <string>

#include "base/status.h"

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

  Status Validate() const;
};

}  // namespace botify::ab
