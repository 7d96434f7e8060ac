// Sample-ratio-mismatch check: Pearson's chi-square test of users per arm against an even
// split over the configured number of arms (docs/contracts.md §4 assigns users evenly by hash).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace botify::ab {

struct SampleRatioCheck {
  std::vector<std::int64_t> observed;  // users per arm, arm 0 = C
  std::vector<double> expected;        // total users / split, per arm
  double chi_square = 0;
  int dof = 0;            // split - 1
  double p_value = 1;     // P(chi2_dof >= chi_square)
  bool mismatch = false;  // p_value < threshold
};

// `users_per_arm` has one entry per configured arm (size = split >= 2).
SampleRatioCheck CheckSampleRatio(std::span<const std::int64_t> users_per_arm, double threshold);

}  // namespace botify::ab
