// The user's response to one recommendation (docs/contracts.md §8, exactly):
//   time = round2(sigmoid((dot(emb[r], e) - consume_bias) * consume_sharpness) * gamma^k)
// where e is the session embedding and k the number of earlier plays of r's artist in the
// session; a track already played in the session gets 0.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

#include "engine/world/user.h"

namespace botify::sim {

inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Rounds to two decimals the way numpy.round(x, 2) does: x * 100, round half to even
// (the default floating-point rounding mode), / 100.
inline double Round2(double x) { return std::nearbyint(x * 100.0) / 100.0; }

// Inner product in float, as numpy computes float32 @ float32.
inline float Dot(std::span<const float> a, std::span<const float> b) {
  // Four accumulators let the compiler pipeline; the result may differ from a strict
  // left-to-right sum in the last bit, which Round2 absorbs in all but ties.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  const std::size_t n = a.size();
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

// Listen time of a track not yet played in the session. `dot` = dot(emb[r], e),
// `artist_plays` = k. Result in [0, 1], a multiple of 0.01. `appeal_offset` is a drifting
// world's shift of the sigmoid's argument (engine/world/appeal_drift.h); with the default
// 0, dot + 0.0 == dot exactly, so the static world's times are bit-identical.
inline double ListenTime(double dot, const world::User& user, int artist_plays,
                         double appeal_offset = 0.0) {
  const double p = Sigmoid((dot + appeal_offset - user.consume_bias) * user.consume_sharpness);
  return Round2(p * std::pow(user.artist_discount_gamma, artist_plays));
}

}  // namespace botify::sim
