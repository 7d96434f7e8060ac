#include "engine/train/top/play_counts.h"

#include <algorithm>

namespace botify::train::top {

std::vector<TrackId> PlayCounts::Top(std::size_t n) const {
  std::vector<std::pair<std::uint64_t, TrackId>> ranked;
  ranked.reserve(counts_.size());
  for (const auto& [track, count] : counts_) ranked.emplace_back(count, track);
  const std::size_t k = std::min(n, ranked.size());
  auto better = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::partial_sort(ranked.begin(), ranked.begin() + k, ranked.end(), better);
  std::vector<TrackId> top;
  top.reserve(k);
  for (std::size_t i = 0; i < k; ++i) top.push_back(ranked[i].second);
  return top;
}

}  // namespace botify::train::top
