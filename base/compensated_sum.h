// Kahan-compensated summation, as pandas' groupby mean computes it (pandas 1.5
// `group_mean`): the rounding error of each addition is carried into the next one.
// Used where botify must reproduce a pandas reference bit for bit (user-based CF,
// docs/contracts.md §10): with plain summation, equal means of differently many rows can come out
// 1 ulp apart and ties between tracks flip.
//
// The compiler must not reassociate the arithmetic: botify builds without -ffast-math
// (and must keep doing so for this to compensate anything).
#pragma once

#include <cstddef>

namespace botify {

class CompensatedSum {
 public:
  void Add(double x) {
    const double y = x - compensation_;
    const double t = sum_ + y;
    compensation_ = (t - sum_) - y;
    sum_ = t;
    ++count_;
  }
  double sum() const { return sum_; }
  std::size_t count() const { return count_; }
  // The mean of the values added; NaN when none were.
  double mean() const { return sum_ / static_cast<double>(count_); }

 private:
  double sum_ = 0;
  double compensation_ = 0;
  std::size_t count_ = 0;
};

}  // namespace botify
