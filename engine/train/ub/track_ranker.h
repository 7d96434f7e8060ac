// Top-K tracks of one user in the exact order of the dense computation: score
// descending, ties by track id ascending, over every track of the logs. So a user with
// few positive scores gets the tracks scoring exactly 0 (lowest ids first; -0.0 counts
// as 0) before any negative one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// Keeps the k best (score, track index) offered. Track indices must be offered in
// ascending order: then a later equal score is never better than a kept one, and one
// comparison with a threshold rejects almost every candidate. Thread-compatible.
class TrackRanker {
 public:
  void Reset(std::size_t k);
  // A NaN score (an excluded track) is never kept.
  void Offer(double score, std::uint32_t t) {
    if (score > threshold_) Keep(score, t);
  }
  // Appends the kept tracks, best first, as ids (m.tracks) with their scores.
  void Drain(const InteractionMatrix& m, UserList* out);

 private:
  void Keep(double score, std::uint32_t t);
  void Compact();

  std::size_t k_ = 0;
  // Candidates; when full, cut to the k best and the threshold raised to the k-th.
  std::vector<std::pair<double, std::uint32_t>> kept_;
  std::size_t capacity_ = 0;
  // Invariant: at least k kept candidates score >= threshold_ (or -inf).
  double threshold_ = 0;
};

}  // namespace botify::train::ub
