#include "engine/train/mf/time_axis.h"

#include <algorithm>
#include <cmath>

namespace botify::train::mf {

TimeAxis TimeAxis::FixedWidth(std::span<const std::int64_t> timestamps_ms, double bin_seconds) {
  TimeAxis axis;
  axis.width_ms_ = bin_seconds * 1000.0;
  if (timestamps_ms.empty()) return axis;
  const auto [lo, hi] = std::minmax_element(timestamps_ms.begin(), timestamps_ms.end());
  axis.last_ms_ = *hi;
  const auto n = static_cast<std::size_t>(std::floor((*hi - *lo) / axis.width_ms_)) + 1;
  axis.starts_.assign(n, 0);
  for (std::size_t b = 0; b < n; ++b) {
    axis.starts_[b] = *lo + static_cast<std::int64_t>(std::llround(b * axis.width_ms_));
  }
  axis.ends_ = axis.starts_;
  return axis;
}

TimeAxis TimeAxis::ActivityStretches(std::span<const std::int64_t> timestamps_ms,
                                     double gap_seconds) {
  TimeAxis axis;
  if (timestamps_ms.empty()) return axis;
  std::vector<std::int64_t> sorted(timestamps_ms.begin(), timestamps_ms.end());
  std::sort(sorted.begin(), sorted.end());
  const double gap_ms = gap_seconds * 1000.0;
  axis.starts_ = {sorted.front()};
  axis.ends_ = {sorted.front()};
  for (std::size_t k = 1; k < sorted.size(); ++k) {
    if (static_cast<double>(sorted[k] - sorted[k - 1]) > gap_ms) {
      axis.starts_.push_back(sorted[k]);
      axis.ends_.push_back(sorted[k]);
    } else {
      axis.ends_.back() = sorted[k];
    }
  }
  axis.last_ms_ = sorted.back();
  return axis;
}

double TimeAxis::At(std::int64_t timestamp_ms) const {
  const std::int64_t t = std::clamp(timestamp_ms, starts_.front(), last_ms_);
  if (width_ms_ > 0) {
    const double u = static_cast<double>(t - starts_.front()) / width_ms_;
    return std::min(u, std::nextafter(static_cast<double>(bins()), 0.0));
  }
  const auto b = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), t) -
                                          starts_.begin() - 1);
  // +1 ms keeps the bin's last event strictly inside [b, b + 1).
  const double span = static_cast<double>(ends_[b] - starts_[b]) + 1.0;
  return static_cast<double>(b) + static_cast<double>(std::min(t, ends_[b]) - starts_[b]) / span;
}

std::uint32_t TimeAxis::Bin(double u) const {
  if (!(u > 0)) return 0;
  return std::min(static_cast<std::uint32_t>(u), bins() - 1);
}

}  // namespace botify::train::mf
