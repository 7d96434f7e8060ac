// Always-valid p-values and confidence intervals: the mixture sequential probability ratio
// test (mSPRT) with a normal mixing distribution (Johari, Koomen, Pekelis, Walsh, "Always
// Valid Inference: Continuous Monitoring of A/B Tests", Operations Research 70(3), 2022;
// the normal mixture goes back to Robbins 1970).
//
// An estimate D of an effect theta is taken as normal with variance v (here: the relative
// effect and its delta-method variance at the current look). With theta ~ N(0, tau^2) as the
// mixing distribution, the likelihood ratio of "theta ~ mixture" against "theta = 0" is
//
//   Lambda = sqrt(v / (v + tau^2)) * exp(tau^2 D^2 / (2 v (v + tau^2)))
//
// (with n paired observations of variance V each, v = V / n and this is Johari et al.'s
// two-sample statistic sqrt(V / (V + n tau^2)) exp(n^2 tau^2 D^2 / (2 V (V + n tau^2)))).
// Under theta = 0, Lambda is a non-negative martingale over looks with mean 1, so by Ville's
// inequality P(Lambda ever >= 1/alpha) <= alpha: p = min(1, 1/Lambda) may be looked at after
// every day (or every row) and rejecting the first time p < alpha keeps the error at alpha.
// The always-valid interval is every theta0 not rejected, D -/+ half_width with
//
//   half_width^2 = 2 v (v + tau^2) / tau^2 * (log(1/alpha) + log(sqrt((v + tau^2) / v))).
//
// The p-value here is the one of the current look; the always-valid sequence is its running
// minimum over the looks (and the interval the running intersection), which a caller that
// keeps the looks' results can take.
//
// The mixing standard deviation tau (on the relative scale, botify's default 0.05 = 5%) is
// the size of effect the test is tuned to detect fastest; docs/ab.md explains the choice.
#pragma once

namespace botify::ab {

struct SequentialTest {
  double log_likelihood_ratio = 0;  // log Lambda (Lambda itself overflows for large effects)
  double p_value = 1;               // min(1, 1/Lambda)
  double half_width = 0;            // the always-valid interval is estimate -/+ half_width
};

// `variance` > 0, `mixing_sd` > 0, `alpha` in (0, 1). NaN results when the estimate or the
// variance is undefined (NaN, or variance <= 0).
SequentialTest MixtureSequentialTest(double estimate, double variance, double mixing_sd,
                                     double alpha);

}  // namespace botify::ab
