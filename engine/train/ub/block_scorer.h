// Scores a block of users (any row indices of R: consecutive ones, or one shard's): their
// rows of W (SimilarityRow), then
// scores = W·R, then the ranking (TrackRanker).
//
// Two ways to form W·R, chosen per block by estimated work; both add the same products
// in the same order (ascending neighbour index per track), so the results are
// bit-identical whichever is taken:
//  - sparse: per user, add each neighbour's row of R into a score vector; cost
//    Σ_neighbours |row|. Wins when W is sparse.
//  - dense: for the whole block at once, walk R by track and add W[block, v] · R[v, t]
//    as a contiguous kBlockUsers-wide vector operation; cost nnz(R) · kBlockUsers but
//    vectorized and cache-friendly. Wins when most users are neighbours (a few popular
//    tracks link almost everyone, as in real logs).
//
// Bounded mode (a CappedTrackIndex given, UserBasedOptions::candidates_per_track): W's
// rows come from CandidateSimilarityRow, W·R is always sparse, and the ranking offers
// only the tracks the neighbours played plus the top_k lowest-index others (which score
// exactly 0), so no step costs users or tracks per user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/train/ub/candidate_similarity_row.h"
#include "engine/train/ub/capped_track_index.h"
#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/similarity_row.h"
#include "engine/train/ub/track_ranker.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// Thread-compatible: one per worker thread. Scratch: O(users + tracks) for the sparse
// way, (users + tracks) · kBlockUsers doubles for the dense way (about 30 MB for
// 10k users × 50k tracks). `m`, `options` and `candidates` must outlive it.
class BlockScorer {
 public:
  static constexpr std::size_t kBlockUsers = 64;

  // `candidates`: nullptr for the exact computation, else the bounded mode's index.
  BlockScorer(const InteractionMatrix& m, const UserBasedOptions& options,
              const CappedTrackIndex* candidates = nullptr);
  BlockScorer(const BlockScorer&) = delete;
  BlockScorer& operator=(const BlockScorer&) = delete;

  // Fills out[i] with the list of row `users[i]` of R, users.size() <= kBlockUsers; a
  // user's list does not depend on the other users of its block. Returns the number of
  // (user, neighbour) pairs with non-zero weight.
  std::uint64_t Score(std::span<const std::uint32_t> users, UserList* out);

  // Bounded mode only, else 0: see CandidateSimilarityRow.
  std::uint64_t candidates_scored() const;
  std::size_t max_candidates() const;

 private:
  void Touch(std::uint32_t t);
  void ScoreSparse(std::uint32_t u, const Neighbours& neighbours, UserList* out);
  void OfferTouchedTracks(TrackRanker* ranker);
  void ScoreDense(std::span<const std::uint32_t> users, UserList* out);
  void FillWeights(std::uint32_t lanes);
  void RankDense(std::span<const std::uint32_t> users, UserList* out);

  // Constant after construction.
  const InteractionMatrix& m_;
  const UserBasedOptions& options_;

  // Exactly one is set: the exact row of W, or the bounded mode's.
  std::optional<SimilarityRow> similarity_;
  std::optional<CandidateSimilarityRow> candidate_similarity_;
  std::vector<Neighbours> neighbours_;  // per user of the current block
  std::vector<TrackRanker> rankers_;    // per user of the current block
  // Sparse way, per track: scores of one user (NaN = excluded), touched flags and list.
  std::vector<double> score_;
  std::vector<std::uint8_t> track_touched_;
  std::vector<std::uint32_t> touched_tracks_;
  std::vector<std::uint32_t> offered_tracks_;  // bounded mode: touched + zero-score filler
  // Dense way: weights_[v * kBlockUsers + i] = W[users[i], v] (zero when not a
  // neighbour); scores_[t * kBlockUsers + i] = score of track t for user users[i].
  std::vector<double> weights_;
  std::vector<double> scores_;
};

}  // namespace botify::train::ub
