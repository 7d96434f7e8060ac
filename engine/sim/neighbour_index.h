// Exact nearest neighbours by inner product, for the simulator (docs/contracts.md §8: a
// session's first track is among its interest's nearest tracks; the oracle policies walk
// them). Computed on the engine's exact ranking (engine/dense/exact_index.h: scores on
// BLAS, equal scores to the lower id) and cached per query track.
//
// The tracks asked for are the users' interests, each over and over, and one search costs
// a pass over the whole embedding matrix, while the BLAS ranking scores 128 queries for
// about the cost of one: so a miss computes the asked track's list together with up to
// 127 `likely` tracks (the interests) not computed yet. A short run computes only the
// batches it touches; a long one ends up with every interest's list, at about 1/100 of the
// cost of one search per track (measured in docs/simulator.md).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/mutex.h"
#include "base/npy_file.h"
#include "engine/dense/index.h"

namespace botify::sim {

// The `k` tracks with the largest dot(emb[t], query), in descending order of the product,
// ties by ascending id (k is clamped to the number of rows). One search: for a few
// queries; NeighbourIndex batches them.
std::vector<TrackId> ExactTopK(const FloatMatrix& embeddings, std::span<const float> query,
                               std::size_t k);

// Thread-safe. `embeddings` must outlive the index.
class NeighbourIndex {
 public:
  // `likely`: tracks expected to be asked for (the users' interests; any order, repeats
  // allowed), computed in the batches of misses.
  NeighbourIndex(const FloatMatrix& embeddings, std::size_t depth,
                 const std::vector<TrackId>& likely = {});
  NeighbourIndex(const NeighbourIndex&) = delete;
  NeighbourIndex& operator=(const NeighbourIndex&) = delete;

  // The depth() tracks nearest to emb[track] (ExactTopK's order), computed on first use
  // (with a batch of likely tracks) and then cached. The span stays valid for the
  // lifetime of the index.
  std::span<const TrackId> Nearest(TrackId track);

  std::size_t depth() const { return depth_; }
  std::size_t cached() const;

 private:
  using List = std::unique_ptr<const std::vector<TrackId>>;

  // Constant after construction
  const FloatMatrix& embeddings_;
  const std::size_t depth_;
  const std::unique_ptr<dense::Index> index_;  // exact, over the embeddings

  mutable Mutex mu_;
  // The pointed-to vectors are immutable once inserted.
  std::unordered_map<TrackId, List> cache_ GUARDED_BY(mu_);
  std::vector<TrackId> pending_ GUARDED_BY(mu_);  // likely tracks not taken into a batch yet
};

}  // namespace botify::sim
