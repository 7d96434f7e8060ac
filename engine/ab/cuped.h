// CUPED (Deng, Xu, Kohavi, Walker, "Improving the Sensitivity of Online Controlled Experiments
// by Utilizing Pre-Experiment Data", WSDM 2013): each user's metric y is replaced by
//
//   y' = y - theta (x - mean_x)
//
// where x is the same metric of the same user in a pre-period (before the experiment, so x
// does not depend on the arm and every arm's mean of y' estimates the same thing as its mean
// of y). Variance falls by the share rho^2 that x explains, so intervals narrow by
// 1 - sqrt(1 - rho^2).
//
// botify's choices:
// - theta is fitted on the arms given together (the decision gives C and one treatment T per
//   comparison), mean_x over all of them. Two policies:
//     pooled   one theta for all arms (the paper's), the within-arm regression slope
//              theta = sum_a sum_i (x_ai - xbar_a)(y_ai - ybar_a) / sum_a sum_i (x_ai - xbar_a)^2
//              (arm means taken out, so a treatment's effect on y does not leak into theta);
//     per-arm  each arm its own slope (the regression with treatment interactions, Lin 2013):
//              never less efficient, and much more when a treatment multiplies y (a tenfold
//              effect has a tenfold slope; a pooled theta dominated by it adds variance to C).
// - Users without a pre-period value (absent from the pre-period, or a ratio metric with no
//   session there) keep y' = y, i.e. x is imputed with mean_x, the mean over every user that
//   has one. They stay in the analysis (dropping them would change the population) and add
//   no variance reduction; they are counted and reported.
// - No user with a pre-period value, or no variation in x: theta = 0 (y' = y).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace botify::ab {

enum class CupedTheta { kPooled, kPerArm };

// "pooled", "per-arm".
std::string_view CupedThetaName(CupedTheta policy);
// Inverse of CupedThetaName; InvalidArgument otherwise.
Result<CupedTheta> ParseCupedTheta(std::string_view name);

// One arm's users on one metric: y[i] and its pre-period covariate x[i] (NaN = none).
struct CupedArm {
  std::vector<double> y;
  std::vector<double> x;
};

struct CupedFit {
  std::vector<double> theta;              // per arm given (all equal when pooled)
  double covariate_mean = 0;              // mean_x over the users with a pre-period value
  std::int64_t users_with_covariate = 0;  // over all arms
  std::int64_t users_without_covariate = 0;
  // 1 - (pooled within-arm variance of y') / (pooled within-arm variance of y); NaN when y
  // has no within-arm variance.
  double variance_reduction = 0;
};

// Fits theta on `arms` together; then CupedAdjust() each of them.
CupedFit FitCuped(std::span<const CupedArm> arms, CupedTheta policy = CupedTheta::kPooled);

// y' of every user of `arm`, the `index`-th of the arms fitted, in order.
std::vector<double> CupedAdjust(const CupedArm& arm, const CupedFit& fit, std::size_t index);

}  // namespace botify::ab
