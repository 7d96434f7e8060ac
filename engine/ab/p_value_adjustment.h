// Multiple-testing corrections of a family of p-values (docs/ab.md "Decisions"):
//
//   holm  Holm-Bonferroni step-down: controls the family-wise error rate (the chance of any
//         false rejection) at alpha under any dependence between the tests.
//   bh    Benjamini-Hochberg step-up: controls the false discovery rate (the expected share
//         of false rejections among the rejections) at alpha for independent or positively
//         dependent tests, e.g. several arms against one shared control.
//   none  the p-values as they are.
//
// Adjusted p-values are returned, so a test is rejected at level alpha when its adjusted
// p-value is below alpha; the values are those of R's p.adjust.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace botify::ab {

enum class Correction { kNone, kHolm, kBenjaminiHochberg };

// "none", "holm", "bh".
std::string_view CorrectionName(Correction correction);
// Inverse of CorrectionName; InvalidArgument otherwise.
Result<Correction> ParseCorrection(std::string_view name);

// Adjusted p-values, in the order of `p`. NaN entries (an undefined test, e.g. an arm with
// one user) stay NaN and are not counted in the family size m. With m defined values
// sorted ascending p(1) <= ... <= p(m):
//   holm: adj(i) = max_{j <= i} min(1, (m - j + 1) p(j))
//   bh:   adj(i) = min_{j >= i} min(1, m p(j) / j)
std::vector<double> AdjustPValues(std::span<const double> p, Correction correction);

}  // namespace botify::ab
