// The relative effect mean_T / mean_C - 1 with a delta-method interval that accounts for the
// control mean's own sampling error (the seminar divides its interval by mean_C as if mean_C
// were exact). For independent arms, to first order (Deng, Knoblich, Lu, "Applying the
// Delta Method in Metric Analytics", KDD 2018, eq. 4):
//
//   Var(mean_T / mean_C) = s_T^2 / (n_T mean_C^2) + mean_T^2 s_C^2 / (n_C mean_C^4)
//
// and the interval is estimate -/+ z_{1-alpha/2} * standard_error (normal quantile: the delta
// method is a large-sample approximation).
#pragma once

#include "engine/ab/welch_interval.h"

namespace botify::ab {

// All as fractions (0.05 = +5%).
struct RelativeEffect {
  double estimate = 0;        // mean_T / mean_C - 1
  double standard_error = 0;  // delta method
  double half_width = 0;      // z_{1-alpha/2} * standard_error
  double lower() const { return estimate - half_width; }
  double upper() const { return estimate + half_width; }
};

// `alpha` in (0, 1). NaN fields when undefined: mean_C == 0, or n < 2 on a side.
RelativeEffect ComputeRelativeEffect(const SampleSummary& control, const SampleSummary& treatment,
                                     double alpha);

// z_{1-alpha/2}, the two-sided normal quantile.
double NormalTwoSidedQuantile(double alpha);

}  // namespace botify::ab
