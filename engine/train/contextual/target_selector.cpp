#include "engine/train/contextual/target_selector.h"

#include <algorithm>
#include <limits>

namespace botify::train::contextual {
namespace {

bool Before(const std::pair<float, TrackId>& a, const std::pair<float, TrackId>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

void TargetSelector::Reset(std::size_t depth) {
  depth_ = depth;
  heap_.clear();
  threshold_ = depth == 0 ? std::numeric_limits<float>::infinity()
                          : -std::numeric_limits<float>::infinity();
}

void TargetSelector::OfferRun(const float* scores, std::size_t n, TrackId first_id) {
  for (std::size_t j = 0; j < n; ++j) {
    if (scores[j] > threshold_) Insert(scores[j], first_id + static_cast<TrackId>(j));
  }
}

void TargetSelector::OfferIds(const float* scores, const TrackId* ids, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    if (scores[j] > threshold_) {
      Insert(scores[j], ids[j]);
    } else if (scores[j] == threshold_ && heap_.size() == depth_ && depth_ > 0 &&
               ids[j] < heap_.front().second) {
      Insert(scores[j], ids[j]);
    }
  }
}

void TargetSelector::Sorted(std::vector<TrackId>* out) {
  std::sort(heap_.begin(), heap_.end(), Before);
  out->clear();
  for (const auto& entry : heap_) out->push_back(entry.second);
}

void TargetSelector::Insert(float score, TrackId id) {
  if (heap_.size() == depth_) {
    std::pop_heap(heap_.begin(), heap_.end(), Before);
    heap_.back() = {score, id};
  } else {
    heap_.emplace_back(score, id);
  }
  std::push_heap(heap_.begin(), heap_.end(), Before);
  if (heap_.size() == depth_) threshold_ = heap_.front().first;
}

}  // namespace botify::train::contextual
