// Exact nearest neighbours by inner product, cached per query track: the first track of a
// session and the oracle policy both ask for the same few thousand interest tracks over
// and over, and one exact search costs a pass over the whole embedding matrix.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/mutex.h"
#include "base/npy_file.h"

namespace botify::sim {

// The `k` tracks with the largest dot(emb[t], query), in descending order of the product,
// ties by ascending id. O(N d + N log k). k is clamped to the number of rows.
std::vector<TrackId> ExactTopK(const FloatMatrix& embeddings, std::span<const float> query,
                               std::size_t k);

// Thread-safe. `embeddings` must outlive the index.
class NeighbourIndex {
 public:
  NeighbourIndex(const FloatMatrix& embeddings, std::size_t depth)
      : embeddings_(embeddings), depth_(depth) {}
  NeighbourIndex(const NeighbourIndex&) = delete;
  NeighbourIndex& operator=(const NeighbourIndex&) = delete;

  // ExactTopK(embeddings, emb[track], depth()), computed on first use and then cached.
  // The span stays valid for the lifetime of the index.
  std::span<const TrackId> Nearest(TrackId track);

  std::size_t depth() const { return depth_; }
  std::size_t cached() const;

 private:
  // Constant after construction
  const FloatMatrix& embeddings_;
  const std::size_t depth_;

  mutable Mutex mu_;
  // The pointed-to vectors are immutable once inserted.
  std::unordered_map<TrackId, std::unique_ptr<const std::vector<TrackId>>> cache_ GUARDED_BY(mu_);
};

}  // namespace botify::sim
