#include "engine/train/mf/top_k.h"

#include <algorithm>

namespace botify::train::mf {
namespace {

// "a ranks before b": higher score, then lower index.
bool RanksBefore(const std::pair<float, std::uint32_t>& a,
                 const std::pair<float, std::uint32_t>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

void TopKSelector::Select(std::span<const float> scores, std::span<const std::uint32_t> excluded,
                          std::vector<std::uint32_t>* out) {
  heap_.clear();
  out->clear();
  if (k_ == 0) return;
  // A heap ordered by RanksBefore keeps the worst kept candidate on top.
  std::size_t next_excluded = 0;
  for (std::uint32_t i = 0; i < scores.size(); ++i) {
    if (next_excluded < excluded.size() && excluded[next_excluded] == i) {
      ++next_excluded;
      continue;
    }
    const std::pair<float, std::uint32_t> candidate{scores[i], i};
    if (heap_.size() < k_) {
      heap_.push_back(candidate);
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
    } else if (RanksBefore(candidate, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), RanksBefore);
      heap_.back() = candidate;
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
    }
  }
  std::sort(heap_.begin(), heap_.end(), RanksBefore);
  for (const auto& [score, index] : heap_) out->push_back(index);
}

}  // namespace botify::train::mf
