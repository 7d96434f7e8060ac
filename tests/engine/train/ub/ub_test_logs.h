// Logs shared by the user-based CF tests: rows, the matrix built from them, and random
// skewed logs.
#pragma once

#include <vector>

#include "base/random.h"
#include "engine/train/ub/interaction_matrix.h"

namespace botify::train::ub::testing {

struct Row {
  UserId user;
  TrackId track;
  double time;
};

inline InteractionMatrix Build(const std::vector<Row>& rows) {
  InteractionMatrixBuilder b;
  for (const Row& r : rows) b.Add(r.user, r.track, r.time);
  return b.Build();
}

// Skewed users and tracks, so that some users have one row and some pairs repeat.
inline std::vector<Row> RandomLog(std::uint64_t seed, int users, int tracks, int rows) {
  Rng rng(seed);
  std::vector<Row> log;
  for (int i = 0; i < rows; ++i) {
    const auto u = static_cast<UserId>(rng.Uniform(users) * rng.UniformDouble());
    const auto t = static_cast<TrackId>(3 * rng.Uniform(tracks) * rng.UniformDouble());
    log.push_back({u * 7 + 1, t, rng.UniformDouble()});
  }
  return log;
}

}  // namespace botify::train::ub::testing
