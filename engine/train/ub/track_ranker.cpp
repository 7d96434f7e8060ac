#include "engine/train/ub/track_ranker.h"

#include <algorithm>

namespace botify::ub {
namespace {

// a ranks before b: higher score, then lower track index. A functor, so it inlines.
struct Better {
  bool operator()(const std::pair<double, std::uint32_t>& a,
                  const std::pair<double, std::uint32_t>& b) const {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  }
};

}  // namespace

void TrackRanker::Insert(double score, std::uint32_t t) {
  if (k_ == 0) return;
  if (heap_.size() == k_) {
    std::pop_heap(heap_.begin(), heap_.end(), Better{});
    heap_.pop_back();
  }
  heap_.emplace_back(score, t);
  std::push_heap(heap_.begin(), heap_.end(), Better{});
  if (heap_.size() == k_) worst_ = heap_.front().first;
}

void TrackRanker::Drain(const InteractionMatrix& m, UserList* out) {
  std::sort_heap(heap_.begin(), heap_.end(), Better{});
  for (const auto& [score, t] : heap_) {
    out->tracks.push_back(m.tracks[t]);
    out->scores.push_back(score == 0 ? 0.0 : score);
  }
  heap_.clear();
}

}  // namespace botify::ub
