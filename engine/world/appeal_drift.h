// A drifting world (issue 18): each track's appeal moves over simulated days. The offset
// is added to the listen-time sigmoid's argument (engine/sim/listen_time.h),
//   time = round2(sigmoid((dot(emb[r], e) + offset_r(day) - consume_bias) * sharpness) ...),
// so a positive offset makes a track worth more to everybody, in the units of the dot
// product. Per track r:
//   offset_r(day) = trend_r * day + release_r(day)
//   trend_r ~ N(0, trend_scale^2) per day (a slow rise or decline; 0 at day 0),
//   release_r  = 0 for most tracks; for a share `release_share` of them, released on a day
//                uniform in [0, release_window_days): 0 before the release, a linear rise
//                to `release_peak` over `release_rise_days`, then an exponential fade with
//                time constant `release_fade_days` (a new release that peaks and fades).
// Day d of a simulation (1-based) covers simulated time [d - 1, d).
//
// Files (optional, next to the original's three, which stay byte-identical and which the
// original simulator reads as before; it does not know these two):
//   drift.json  the manifest: {"version": 1, "tracks": N, "seed": S, "trend_scale": ...}
//   drift.npy   float32 [N, 3]: per track trend (per day), release day (-1: none), peak
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/ids.h"
#include "base/npy_file.h"
#include "base/status.h"

namespace botify::world {

inline constexpr char kDriftJson[] = "drift.json";
inline constexpr char kDriftNpy[] = "drift.npy";

struct AppealDriftOptions {
  // Standard deviation of a track's trend, in dot-product units per day. Default 0.5: over
  // a week a typical track moves by ~3.5, about one user's consume_bias range / 3.
  double trend_scale = 0.5;
  // Share of tracks that are new releases. Default 0.02 (1,000 of the default 50,000).
  double release_share = 0.02;
  // Offset at a release's peak. Default 4: a released track becomes a hit for a while.
  double release_peak = 4.0;
  // Days from release to peak, and the fade's time constant. Defaults 0.5 and 1.5.
  double release_rise_days = 0.5;
  double release_fade_days = 1.5;
  // Release days are uniform in [0, release_window_days). Default 7.
  double release_window_days = 7.0;
  // The drift's own random stream is drawn from this seed (the world's seed by default),
  // so the drift never changes the other files' draws.
  std::uint64_t seed = 42;

  Status Validate() const;
};

// Thread-safe once built: immutable.
class AppealDrift {
 public:
  // Deterministic: a pure function of (options, tracks).
  static AppealDrift Generate(const AppealDriftOptions& options, std::size_t tracks);
  // Reads drift.json and drift.npy from `dir`; nullopt when neither exists (a world
  // without drift); an error when one is missing, malformed, or sized for another catalog.
  static Result<std::optional<AppealDrift>> Load(const std::string& dir, std::size_t tracks);
  // Writes both files into `dir` (which must exist).
  Status Write(const std::string& dir) const;

  // offset_r(day) above; `track` < tracks().
  double Offset(TrackId track, double day) const;

  std::size_t tracks() const { return params_.rows; }
  const AppealDriftOptions& options() const { return options_; }

 private:
  AppealDriftOptions options_;
  FloatMatrix params_;  // tracks x 3: trend, release day (-1: none), release peak
};

}  // namespace botify::world
