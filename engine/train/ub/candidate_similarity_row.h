// The bounded mode's row of W (UserBasedOptions::candidates_per_track): exact cosine
// weights of a user, but only against candidates, the users a CappedTrackIndex keeps for
// the user's tracks. With every user of every track kept it equals SimilarityRow bit for
// bit: the same pairs, each dot product summed over the same tracks in the same ascending
// order, the same CosineWeight and the same cut to the top neighbours.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/train/ub/capped_track_index.h"
#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/neighbours.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// Thread-compatible: one per worker thread. O(users + tracks) scratch, clean between
// calls. `m`, `index` and `options` must outlive it.
class CandidateSimilarityRow {
 public:
  CandidateSimilarityRow(const InteractionMatrix& m, const CappedTrackIndex& index,
                         const UserBasedOptions& options);
  CandidateSimilarityRow(const CandidateSimilarityRow&) = delete;
  CandidateSimilarityRow& operator=(const CandidateSimilarityRow&) = delete;

  // Sets *out to the non-zero weights W[u, v] over u's candidates v. Cost: the sum of the
  // candidates' numbers of tracks; at most cap × |u's tracks| candidates.
  void Compute(std::uint32_t u, Neighbours* out);

  // Candidates whose weight was computed, summed over every Compute so far.
  std::uint64_t candidates_scored() const { return candidates_scored_; }
  // The most candidates one user had so far.
  std::size_t max_candidates() const { return max_candidates_; }

 private:
  void CollectCandidates(std::uint32_t u);
  double Dot(std::uint32_t v, std::uint32_t* common) const;

  // Constant after construction.
  const InteractionMatrix& m_;
  const CappedTrackIndex& index_;
  const UserBasedOptions& options_;

  // Scratch by track: the current user's row of R scattered (value, present).
  std::vector<double> row_value_;
  std::vector<std::uint8_t> in_row_;
  // Scratch by user: the current user's candidates (flags and ascending list).
  std::vector<std::uint8_t> is_candidate_;
  std::vector<std::uint32_t> candidates_;

  std::uint64_t candidates_scored_ = 0;
  std::size_t max_candidates_ = 0;
};

}  // namespace botify::train::ub
