// The time axis of a time-aware item bias: event timestamps (ms since the epoch) mapped to
// a continuous time u measured in bins, with Bin(t) = floor(u) in [0, bins()).
//   fixed width W seconds:  u = (t - t_first) / W, t_first the earliest train timestamp;
//   activity stretches:     a new bin begins after every gap of more than G seconds
//                           between consecutive train timestamps; inside bin b,
//                           u = b + (t - start_b) / (end_b - start_b + 1 ms), in [b, b + 1).
// "Now" is the latest train timestamp: the time the exported lists are served at.
// Timestamps outside the train range are clamped into it (a bias learned nowhere else).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace botify::train::mf {

// Thread-safe for reads: immutable after construction.
class TimeAxis {
 public:
  TimeAxis() = default;
  // `timestamps_ms` need not be sorted; empty gives a single bin. bin_seconds > 0.
  static TimeAxis FixedWidth(std::span<const std::int64_t> timestamps_ms, double bin_seconds);
  static TimeAxis ActivityStretches(std::span<const std::int64_t> timestamps_ms,
                                    double gap_seconds);

  // Continuous time in bins, in [0, bins()).
  double At(std::int64_t timestamp_ms) const;
  std::uint32_t bins() const { return static_cast<std::uint32_t>(starts_.size()); }
  std::uint32_t Bin(double u) const;
  double now() const { return At(last_ms_); }

 private:
  std::vector<std::int64_t> starts_ = {0};  // first timestamp of each bin, ascending
  std::vector<std::int64_t> ends_ = {0};    // last timestamp of each bin (stretches)
  double width_ms_ = 0;                     // > 0: fixed width; 0: stretches
  std::int64_t last_ms_ = 0;
};

}  // namespace botify::train::mf
