#include "engine/ab/sequential_test.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace botify::ab {

SequentialTest MixtureSequentialTest(double estimate, double variance, double mixing_sd,
                                     double alpha) {
  if (std::isnan(estimate) || std::isnan(variance) || !(variance > 0)) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan};
  }
  const double v = variance;
  const double tau2 = mixing_sd * mixing_sd;
  SequentialTest t;
  t.log_likelihood_ratio =
      0.5 * std::log(v / (v + tau2)) + tau2 * estimate * estimate / (2 * v * (v + tau2));
  t.p_value = std::min(1.0, std::exp(-t.log_likelihood_ratio));
  t.half_width =
      std::sqrt(2 * v * (v + tau2) / tau2 * (std::log(1 / alpha) + 0.5 * std::log((v + tau2) / v)));
  return t;
}

}  // namespace botify::ab
