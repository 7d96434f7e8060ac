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
// - Pooled theta: one theta per metric for all arms, the within-arm regression slope
//   theta = sum_a sum_i (x_ai - xbar_a)(y_ai - ybar_a) / sum_a sum_i (x_ai - xbar_a)^2
//   (the arms' means are taken out, so a treatment's effect on y does not leak into theta).
// - Users without a pre-period value (absent from the pre-period, or a ratio metric with no
//   session there) keep y' = y, i.e. x is imputed with mean_x, the mean over every user that
//   has one. They stay in the analysis (dropping them would change the population) and add
//   no variance reduction; they are counted and reported.
// - No user with a pre-period value, or no variation in x: theta = 0 (y' = y).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace botify::ab {

// One arm's users on one metric: y[i] and its pre-period covariate x[i] (NaN = none).
struct CupedArm {
  std::vector<double> y;
  std::vector<double> x;
};

struct CupedFit {
  double theta = 0;
  double covariate_mean = 0;              // mean_x over the users with a pre-period value
  std::int64_t users_with_covariate = 0;  // over all arms
  std::int64_t users_without_covariate = 0;
  // 1 - (pooled within-arm variance of y') / (pooled within-arm variance of y); NaN when y
  // has no within-arm variance.
  double variance_reduction = 0;
};

// Fits theta on all arms together; then Adjust() each arm.
CupedFit FitCuped(std::span<const CupedArm> arms);

// y' of every user of `arm`, in order.
std::vector<double> CupedAdjust(const CupedArm& arm, const CupedFit& fit);

}  // namespace botify::ab
