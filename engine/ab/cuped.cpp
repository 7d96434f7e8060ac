#include "engine/ab/cuped.h"

#include <cmath>
#include <limits>

namespace botify::ab {

namespace {

// Sum of squared deviations from the arm's own mean, over all of `values`.
double WithinSquares(std::span<const double> values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return squares;
}

}  // namespace

CupedFit FitCuped(std::span<const CupedArm> arms) {
  CupedFit fit;
  double sum_x = 0, sxy = 0, sxx = 0;
  for (const CupedArm& arm : arms) {
    // The arm's means over its users with a covariate.
    double ax = 0, ay = 0;
    std::int64_t n = 0;
    for (std::size_t i = 0; i < arm.y.size(); ++i) {
      if (std::isnan(arm.x[i])) continue;
      ax += arm.x[i];
      ay += arm.y[i];
      ++n;
    }
    fit.users_with_covariate += n;
    fit.users_without_covariate += static_cast<std::int64_t>(arm.y.size()) - n;
    if (n == 0) continue;
    sum_x += ax;
    ax /= static_cast<double>(n);
    ay /= static_cast<double>(n);
    for (std::size_t i = 0; i < arm.y.size(); ++i) {
      if (std::isnan(arm.x[i])) continue;
      sxy += (arm.x[i] - ax) * (arm.y[i] - ay);
      sxx += (arm.x[i] - ax) * (arm.x[i] - ax);
    }
  }
  if (fit.users_with_covariate > 0) {
    fit.covariate_mean = sum_x / static_cast<double>(fit.users_with_covariate);
  }
  fit.theta = sxx > 0 ? sxy / sxx : 0;
  double before = 0, after = 0;
  for (const CupedArm& arm : arms) {
    before += WithinSquares(arm.y);
    after += WithinSquares(CupedAdjust(arm, fit));
  }
  fit.variance_reduction =
      before > 0 ? 1 - after / before : std::numeric_limits<double>::quiet_NaN();
  return fit;
}

std::vector<double> CupedAdjust(const CupedArm& arm, const CupedFit& fit) {
  std::vector<double> adjusted(arm.y);
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    if (!std::isnan(arm.x[i])) adjusted[i] -= fit.theta * (arm.x[i] - fit.covariate_mean);
  }
  return adjusted;
}

}  // namespace botify::ab
