// One row of the user-user weight matrix W (see user_based_cf.h): cosine similarity of a
// user to every user sharing a track with them, diagonal and zero-norm rows excluded,
// optionally shrunk and cut to the top neighbours.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/neighbours.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// Thread-compatible: one per worker thread. Holds O(users) scratch, all-zero between
// calls. `m` and `options` must outlive it.
class SimilarityRow {
 public:
  SimilarityRow(const InteractionMatrix& m, const UserBasedOptions& options);
  SimilarityRow(const SimilarityRow&) = delete;
  SimilarityRow& operator=(const SimilarityRow&) = delete;

  // Sets *out to the non-zero weights W[u, v]. The dot products R_u · R_v are summed in
  // ascending track order, as a plain dense loop would.
  void Compute(std::uint32_t u, Neighbours* out);

 private:
  void AccumulateDots(std::uint32_t u);
  void Reset();

  // Constant after construction.
  const InteractionMatrix& m_;
  const UserBasedOptions& options_;

  // Scratch indexed by user: dot products, co-played counts (shrinkage only), touched.
  std::vector<double> dot_;
  std::vector<std::uint32_t> common_;
  std::vector<std::uint8_t> touched_;
  std::vector<std::uint32_t> touched_users_;
};

}  // namespace botify::train::ub
