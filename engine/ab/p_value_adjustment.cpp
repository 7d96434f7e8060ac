#include "engine/ab/p_value_adjustment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace botify::ab {

std::string_view CorrectionName(Correction correction) {
  switch (correction) {
    case Correction::kNone:
      return "none";
    case Correction::kHolm:
      return "holm";
    case Correction::kBenjaminiHochberg:
      return "bh";
  }
  return "?";
}

Result<Correction> ParseCorrection(std::string_view name) {
  for (Correction c : {Correction::kNone, Correction::kHolm, Correction::kBenjaminiHochberg}) {
    if (CorrectionName(c) == name) return c;
  }
  return Status::InvalidArgument(fmt::format("correction '{}' is not one of holm, bh, none", name));
}

std::vector<double> AdjustPValues(std::span<const double> p, Correction correction) {
  std::vector<double> adjusted(p.begin(), p.end());
  if (correction == Correction::kNone) return adjusted;
  // Indices of the defined p-values, ascending by p (ties in input order).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&p](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  const auto m = static_cast<double>(order.size());
  if (correction == Correction::kHolm) {
    double running_max = 0;
    for (std::size_t j = 0; j < order.size(); ++j) {
      running_max =
          std::max(running_max, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
      adjusted[order[j]] = running_max;
    }
    return adjusted;
  }
  double running_min = 1;
  for (std::size_t j = order.size(); j-- > 0;) {
    running_min = std::min(running_min, m * p[order[j]] / static_cast<double>(j + 1));
    adjusted[order[j]] = running_min;
  }
  return adjusted;
}

}  // namespace botify::ab
