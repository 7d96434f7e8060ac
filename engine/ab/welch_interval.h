// Welch's two-sample confidence interval for a difference of means, as the seminar
// computes it (docs/contracts.md §11): Welch–Satterthwaite degrees of freedom and a Student t
// quantile from Boost.Math; and the same test's two-sided p-value (beyond the seminar, for
// the decision in engine/ab/decision.h).
#pragma once

#include <cstdint>
#include <span>

namespace botify::ab {

// Count, mean and sample variance (n - 1 in the denominator; NaN when n < 2).
struct SampleSummary {
  std::int64_t n = 0;
  double mean = 0;
  double variance = 0;
};

// Two-pass summary (mean first, then squared deviations) for accuracy on long samples.
SampleSummary Summarize(std::span<const double> values);

struct WelchInterval {
  double effect = 0;          // mean_T - mean_C
  double half_width = 0;      // t_{1-alpha/2, dof} * standard_error
  double dof = 0;             // Welch–Satterthwaite
  double standard_error = 0;  // sqrt(s0/n0 + s1/n1)
  // Two-sided: P(|T_dof| >= |effect| / standard_error); NaN when the dof is undefined. Below
  // alpha exactly when significant() (the same t distribution), up to rounding at the edge.
  double p_value = 0;
  double lower() const { return effect - half_width; }
  double upper() const { return effect + half_width; }
  // The interval excludes 0. False when it is undefined (NaN), e.g. an arm with one user.
  bool significant() const { return lower() > 0 || upper() < 0; }
};

// `alpha` in (0, 1). When the dof is undefined (an arm with n < 2, or both variances 0)
// the half width is NaN, as scipy's t.ppf gives.
WelchInterval ComputeWelchInterval(const SampleSummary& control, const SampleSummary& treatment,
                                   double alpha);

}  // namespace botify::ab
