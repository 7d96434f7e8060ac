#include "engine/ab/relative_effect.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

namespace botify::ab {

double NormalTwoSidedQuantile(double alpha) {
  return boost::math::quantile(boost::math::normal_distribution<>(), 1 - alpha / 2);
}

RelativeEffect ComputeRelativeEffect(const SampleSummary& control, const SampleSummary& treatment,
                                     double alpha) {
  RelativeEffect r;
  const double mc = control.mean;
  const double mt = treatment.mean;
  if (mc == 0 || control.n < 2 || treatment.n < 2) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {mc == 0 ? nan : mt / mc - 1, nan, nan};
  }
  r.estimate = mt / mc - 1;
  const double var_t = treatment.variance / static_cast<double>(treatment.n);
  const double var_c = control.variance / static_cast<double>(control.n);
  r.standard_error = std::sqrt(var_t / (mc * mc) + mt * mt * var_c / (mc * mc * mc * mc));
  r.half_width = NormalTwoSidedQuantile(alpha) * r.standard_error;
  return r;
}

}  // namespace botify::ab
