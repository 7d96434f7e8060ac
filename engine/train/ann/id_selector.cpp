#include "engine/train/ann/id_selector.h"

#include <algorithm>
#include <limits>

namespace botify::train::ann {
namespace {

bool Before(const std::pair<float, std::uint32_t>& a, const std::pair<float, std::uint32_t>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

void IdSelector::Reset(std::size_t depth) {
  depth_ = depth;
  heap_.clear();
  threshold_ =
      depth == 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
}

void IdSelector::OfferRun(const float* scores, std::size_t n, std::uint32_t first_id) {
  for (std::size_t j = 0; j < n; ++j) {
    if (scores[j] > threshold_) Insert(scores[j], first_id + static_cast<std::uint32_t>(j));
  }
}

void IdSelector::OfferIds(const float* scores, const std::uint32_t* ids, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    if (scores[j] > threshold_) {
      Insert(scores[j], ids[j]);
    } else if (scores[j] == threshold_ && heap_.size() == depth_ && depth_ > 0 &&
               ids[j] < heap_.front().second) {
      Insert(scores[j], ids[j]);
    }
  }
}

void IdSelector::Sorted(std::vector<std::uint32_t>* out) {
  std::sort(heap_.begin(), heap_.end(), Before);
  out->clear();
  for (const auto& entry : heap_) out->push_back(entry.second);
}

void IdSelector::Insert(float score, std::uint32_t id) {
  if (heap_.size() == depth_) {
    std::pop_heap(heap_.begin(), heap_.end(), Before);
    heap_.back() = {score, id};
  } else {
    heap_.emplace_back(score, id);
  }
  std::push_heap(heap_.begin(), heap_.end(), Before);
  if (heap_.size() == depth_) threshold_ = heap_.front().first;
}

}  // namespace botify::train::ann
