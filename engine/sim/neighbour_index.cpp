#include "engine/sim/neighbour_index.h"

#include <algorithm>

#include "engine/sim/listen_time.h"

namespace botify::sim {

std::vector<TrackId> ExactTopK(const FloatMatrix& embeddings, std::span<const float> query,
                               std::size_t k) {
  const std::size_t n = embeddings.rows;
  k = std::min(k, n);
  std::vector<std::pair<float, TrackId>> scored(n);
  for (std::size_t t = 0; t < n; ++t) {
    scored[t] = {Dot(embeddings.row(t), query), static_cast<TrackId>(t)};
  }
  auto better = [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(),
                    better);
  std::vector<TrackId> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = scored[i].second;
  return out;
}

std::span<const TrackId> NeighbourIndex::Nearest(TrackId track) {
  {
    MutexLock lock(mu_);
    auto it = cache_.find(track);
    if (it != cache_.end()) return *it->second;
  }
  // Computed outside the lock; a concurrent duplicate computation is discarded.
  auto list = std::make_unique<const std::vector<TrackId>>(
      ExactTopK(embeddings_, embeddings_.row(track), depth_));
  MutexLock lock(mu_);
  auto [it, inserted] = cache_.try_emplace(track, std::move(list));
  return *it->second;
}

std::size_t NeighbourIndex::cached() const {
  MutexLock lock(mu_);
  return cache_.size();
}

}  // namespace botify::sim
