#include "engine/ab/cuped.h"

#include <fmt/format.h>

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

// Sums of the within-arm cross products and squares of x, over the users with an x.
struct Moments {
  double sxy = 0, sxx = 0, sum_x = 0;
  std::int64_t n = 0;
};

Moments ArmMoments(const CupedArm& arm) {
  Moments m;
  double ay = 0;
  for (std::size_t i = 0; i < arm.y.size(); ++i) {
    if (std::isnan(arm.x[i])) continue;
    m.sum_x += arm.x[i];
    ay += arm.y[i];
    ++m.n;
  }
  if (m.n == 0) return m;
  const double ax = m.sum_x / static_cast<double>(m.n);
  ay /= static_cast<double>(m.n);
  for (std::size_t i = 0; i < arm.y.size(); ++i) {
    if (std::isnan(arm.x[i])) continue;
    m.sxy += (arm.x[i] - ax) * (arm.y[i] - ay);
    m.sxx += (arm.x[i] - ax) * (arm.x[i] - ax);
  }
  return m;
}

double Slope(double sxy, double sxx) { return sxx > 0 ? sxy / sxx : 0; }

}  // namespace

std::string_view CupedThetaName(CupedTheta policy) {
  return policy == CupedTheta::kPooled ? "pooled" : "per-arm";
}

Result<CupedTheta> ParseCupedTheta(std::string_view name) {
  if (name == "pooled") return CupedTheta::kPooled;
  if (name == "per-arm") return CupedTheta::kPerArm;
  return Status::InvalidArgument(
      fmt::format("CUPED theta '{}' is not one of pooled, per-arm", name));
}

CupedFit FitCuped(std::span<const CupedArm> arms, CupedTheta policy) {
  CupedFit fit;
  std::vector<Moments> moments;
  Moments total;
  for (const CupedArm& arm : arms) {
    moments.push_back(ArmMoments(arm));
    const Moments& m = moments.back();
    total.sxy += m.sxy;
    total.sxx += m.sxx;
    total.sum_x += m.sum_x;
    total.n += m.n;
    fit.users_without_covariate += static_cast<std::int64_t>(arm.y.size()) - m.n;
  }
  fit.users_with_covariate = total.n;
  if (total.n > 0) fit.covariate_mean = total.sum_x / static_cast<double>(total.n);
  for (const Moments& m : moments) {
    fit.theta.push_back(policy == CupedTheta::kPooled ? Slope(total.sxy, total.sxx)
                                                      : Slope(m.sxy, m.sxx));
  }
  double before = 0, after = 0;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    before += WithinSquares(arms[a].y);
    after += WithinSquares(CupedAdjust(arms[a], fit, a));
  }
  fit.variance_reduction =
      before > 0 ? 1 - after / before : std::numeric_limits<double>::quiet_NaN();
  return fit;
}

std::vector<double> CupedAdjust(const CupedArm& arm, const CupedFit& fit, std::size_t index) {
  std::vector<double> adjusted(arm.y);
  const double theta = fit.theta[index];
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    if (!std::isnan(arm.x[i])) adjusted[i] -= theta * (arm.x[i] - fit.covariate_mean);
  }
  return adjusted;
}

}  // namespace botify::ab
