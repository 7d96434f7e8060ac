// Top-K tracks of one user in the exact order of the dense computation: score
// descending, ties by track id ascending, over every track of the logs. So a user with
// few positive scores gets the tracks scoring exactly 0 (lowest ids first; -0.0 counts
// as 0) before any negative one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::ub {

// Keeps the k best (score, track index) offered, with track indices offered in
// ascending order (so an equal score never displaces an earlier, lower index).
// Thread-compatible.
class TrackRanker {
 public:
  void Reset(std::size_t k) {
    k_ = k;
    heap_.clear();
    worst_ = -kInf;
  }
  // Hot path: one comparison; the heap is touched only for a new member. A NaN score
  // (an excluded track) is never kept.
  void Offer(double score, std::uint32_t t) {
    if (score > worst_) Insert(score, t);
  }
  // Appends the kept tracks, best first, as ids (m.tracks) with their scores.
  void Drain(const InteractionMatrix& m, UserList* out);

 private:
  static constexpr double kInf = __builtin_inf();
  void Insert(double score, std::uint32_t t);

  std::size_t k_ = 0;
  // Worst member on top. Invariant: worst_ = -inf while fewer than k members.
  std::vector<std::pair<double, std::uint32_t>> heap_;
  double worst_ = -kInf;
};

}  // namespace botify::ub
