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
  Reset(excluded);
  Offer(scores, 0);
  Finish(out);
}

void TopKSelector::Reset(std::span<const std::uint32_t> excluded) {
  heap_.clear();
  excluded_ = excluded;
  next_excluded_ = 0;
}

void TopKSelector::Offer(std::span<const float> scores, std::uint32_t first) {
  if (k_ == 0) return;
  // A heap ordered by RanksBefore keeps the worst kept candidate on top. Indices arrive
  // ascending, so once the heap is full a candidate ranks before its top exactly when its
  // score is greater (an equal score has the higher index): most candidates are rejected
  // by one comparison, before the excluded indices are even looked at.
  for (std::uint32_t j = 0; j < scores.size(); ++j) {
    const bool full = heap_.size() == k_;
    if (full && !(scores[j] > heap_.front().first)) continue;
    const std::uint32_t i = first + j;
    while (next_excluded_ < excluded_.size() && excluded_[next_excluded_] < i) ++next_excluded_;
    if (next_excluded_ < excluded_.size() && excluded_[next_excluded_] == i) continue;
    if (full) {
      std::pop_heap(heap_.begin(), heap_.end(), RanksBefore);
      heap_.back() = {scores[j], i};
    } else {
      heap_.emplace_back(scores[j], i);
    }
    std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
  }
}

void TopKSelector::Finish(std::vector<std::uint32_t>* out) {
  out->clear();
  std::sort(heap_.begin(), heap_.end(), RanksBefore);
  for (const auto& [score, index] : heap_) out->push_back(index);
}

}  // namespace botify::train::mf
