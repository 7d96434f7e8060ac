#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/ab/sample_ratio_check.h"
#include "engine/ab/welch_interval.h"

using namespace botify::ab;

// Reference numbers: dof and chi-square p-values from scipy 1.10; the interval half width
// from mpmath at 30 digits (scipy's t.ppf is 2.5e-10 off it, Boost.Math is exact).

TEST_CASE("Welch interval matches scipy on a small sample", "[engine][ab]") {
  std::vector<double> c = {1, 2, 3, 4, 5};
  std::vector<double> t = {2, 4, 6, 8, 10, 12};
  SampleSummary sc = Summarize(c);
  SampleSummary st = Summarize(t);
  CHECK(sc.n == 5);
  CHECK(sc.mean == 3);
  CHECK(sc.variance == 2.5);
  CHECK(st.variance == 14);
  WelchInterval w = ComputeWelchInterval(sc, st, 0.05);
  CHECK(w.effect == 4);
  CHECK(w.dof == Approx(6.972255729794935).epsilon(1e-12));
  CHECK(w.half_width == Approx(3.983468695628832).epsilon(1e-13));
  CHECK(w.significant());
  // A wider interval (alpha 0.001) includes 0.
  CHECK_FALSE(ComputeWelchInterval(sc, st, 0.001).significant());
}

TEST_CASE("an arm with one user has an undefined interval, not significant", "[engine][ab]") {
  std::vector<double> c = {1, 2, 3};
  std::vector<double> t = {100};
  SampleSummary st = Summarize(t);
  CHECK(st.n == 1);
  CHECK(st.mean == 100);
  CHECK(std::isnan(st.variance));
  WelchInterval w = ComputeWelchInterval(Summarize(c), st, 0.05);
  CHECK(w.effect == 98);
  CHECK(std::isnan(w.half_width));
  CHECK_FALSE(w.significant());
}

TEST_CASE("identical constant arms give an undefined interval", "[engine][ab]") {
  std::vector<double> c = {2, 2, 2};
  WelchInterval w = ComputeWelchInterval(Summarize(c), Summarize(c), 0.05);
  CHECK(w.effect == 0);
  CHECK(std::isnan(w.dof));
  CHECK_FALSE(w.significant());
}

TEST_CASE("sample ratio check matches scipy's chi-square", "[engine][ab]") {
  std::vector<std::int64_t> skewed = {60, 40};
  SampleRatioCheck s = CheckSampleRatio(skewed, 0.05);
  CHECK(s.chi_square == Approx(4.0).epsilon(1e-12));
  CHECK(s.dof == 1);
  CHECK(s.p_value == Approx(0.04550026389635857).epsilon(1e-10));
  CHECK(s.mismatch);
  CHECK_FALSE(CheckSampleRatio(skewed, 0.01).mismatch);

  std::vector<std::int64_t> four = {90, 100, 110, 100};
  SampleRatioCheck f = CheckSampleRatio(four, 0.001);
  CHECK(f.dof == 3);
  CHECK(f.expected == std::vector<double>(4, 100.0));
  CHECK(f.p_value == Approx(0.5724067044708798).epsilon(1e-10));
  CHECK_FALSE(f.mismatch);
}

TEST_CASE("a configured arm with no users is a strong mismatch", "[engine][ab]") {
  std::vector<std::int64_t> missing_arm = {500, 500, 0};
  SampleRatioCheck s = CheckSampleRatio(missing_arm, 0.001);
  CHECK(s.p_value < 1e-50);
  CHECK(s.mismatch);
}
