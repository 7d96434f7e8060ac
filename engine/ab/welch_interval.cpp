#include "engine/ab/welch_interval.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace botify::ab {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Student t quantile; the normal quantile for infinite dof (as scipy), NaN when undefined.
double StudentTQuantile(double p, double dof) {
  if (std::isnan(dof) || dof <= 0) return kNaN;
  if (std::isinf(dof)) return boost::math::quantile(boost::math::normal_distribution<>(), p);
  return boost::math::quantile(boost::math::students_t_distribution<>(dof), p);
}

// P(|T_dof| >= |t|); NaN when the dof or t is undefined.
double StudentTTwoSidedP(double t, double dof) {
  if (std::isnan(dof) || dof <= 0 || std::isnan(t)) return kNaN;
  if (std::isinf(t)) return 0;
  const double tail = std::isinf(dof)
                          ? boost::math::cdf(boost::math::complement(
                                boost::math::normal_distribution<>(), std::abs(t)))
                          : boost::math::cdf(boost::math::complement(
                                boost::math::students_t_distribution<>(dof), std::abs(t)));
  return std::min(1.0, 2 * tail);
}
}  // namespace

SampleSummary Summarize(std::span<const double> values) {
  SampleSummary s;
  s.n = static_cast<std::int64_t>(values.size());
  if (s.n == 0) return {0, kNaN, kNaN};
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) {
    s.variance = kNaN;
    return s;
  }
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.variance = squares / static_cast<double>(s.n - 1);
  return s;
}

WelchInterval ComputeWelchInterval(const SampleSummary& control, const SampleSummary& treatment,
                                   double alpha) {
  WelchInterval w;
  w.effect = treatment.mean - control.mean;
  const auto n0 = static_cast<double>(control.n);
  const auto n1 = static_cast<double>(treatment.n);
  const double a0 = control.variance / n0;
  const double a1 = treatment.variance / n1;
  const double denominator = control.variance * control.variance / (n0 * n0 * (n0 - 1)) +
                             treatment.variance * treatment.variance / (n1 * n1 * (n1 - 1));
  w.dof = (a0 + a1) * (a0 + a1) / denominator;
  if (control.n < 2 || treatment.n < 2) w.dof = kNaN;
  w.standard_error = std::sqrt(a0 + a1);
  w.half_width = StudentTQuantile(1 - alpha / 2, w.dof) * w.standard_error;
  w.p_value = StudentTTwoSidedP(w.effect / w.standard_error, w.dof);
  return w;
}

}  // namespace botify::ab
