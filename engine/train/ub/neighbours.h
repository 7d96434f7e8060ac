// One user's row of the user-user weight matrix W (see user_based_cf.h) as a sparse list,
// and the two steps every way of computing it shares: the weight of a pair from its dot
// product, and the cut to the top neighbours. Keeping them in one place is what makes the
// exact and the candidate-bounded rows (similarity_row.h, candidate_similarity_row.h)
// bit-identical wherever they see the same pair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace botify::train::ub {

// (user index, weight) with weight != 0, ascending user index.
using Neighbours = std::vector<std::pair<std::uint32_t, double>>;

// W[u, v] = cosine(R_u, R_v), optionally shrunk by common / (common + shrinkage);
// common = tracks both played. `norm_u` and `norm_v` must be > 0. Thread-safe (pure).
inline double CosineWeight(double dot, double norm_u, double norm_v, std::uint32_t common,
                           double shrinkage) {
  double w = dot / (norm_u * norm_v);
  if (shrinkage > 0) w *= common / (common + shrinkage);
  return w;
}

// With k > 0, keeps the k largest weights of *n (ties by user index), still in ascending
// user order; k = 0 keeps all. Thread-safe (touches only *n).
void KeepMostSimilar(std::size_t k, Neighbours* n);

}  // namespace botify::train::ub
