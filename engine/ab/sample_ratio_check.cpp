#include "engine/ab/sample_ratio_check.h"

#include <boost/math/distributions/chi_squared.hpp>

namespace botify::ab {

SampleRatioCheck CheckSampleRatio(std::span<const std::int64_t> users_per_arm, double threshold) {
  SampleRatioCheck c;
  c.observed.assign(users_per_arm.begin(), users_per_arm.end());
  std::int64_t total = 0;
  for (std::int64_t n : c.observed) total += n;
  const auto split = static_cast<double>(c.observed.size());
  c.dof = static_cast<int>(c.observed.size()) - 1;
  if (total == 0 || c.dof < 1) return c;
  const double expected = static_cast<double>(total) / split;
  c.expected.assign(c.observed.size(), expected);
  for (std::int64_t n : c.observed) {
    const double d = static_cast<double>(n) - expected;
    c.chi_square += d * d / expected;
  }
  c.p_value = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared_distribution<>(c.dof), c.chi_square));
  c.mismatch = c.p_value < threshold;
  return c;
}

}  // namespace botify::ab
