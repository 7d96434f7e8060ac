#include "engine/train/ub/track_ranker.h"

#include <algorithm>
#include <limits>

namespace botify::train::ub {
namespace {

// a ranks before b: higher score, then lower track index. A functor, so it inlines.
struct Better {
  bool operator()(const std::pair<double, std::uint32_t>& a,
                  const std::pair<double, std::uint32_t>& b) const {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  }
};

}  // namespace

void TrackRanker::Reset(std::size_t k) {
  k_ = k;
  capacity_ = std::max<std::size_t>(4 * k, 1024);
  kept_.clear();
  kept_.reserve(capacity_);
  // With k = 0 nothing is ever kept.
  threshold_ =
      k == 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

void TrackRanker::Keep(double score, std::uint32_t t) {
  kept_.emplace_back(score, t);
  if (kept_.size() == capacity_) Compact();
}

// Keeps the k best; later candidates must beat the k-th (an equal score comes with a
// higher track index, so it ranks below it).
void TrackRanker::Compact() {
  if (kept_.size() <= k_ || k_ == 0) return;
  std::nth_element(kept_.begin(), kept_.begin() + static_cast<std::ptrdiff_t>(k_ - 1), kept_.end(),
                   Better{});
  kept_.resize(k_);
  threshold_ = kept_.back().first;
}

void TrackRanker::Drain(const InteractionMatrix& m, UserList* out) {
  if (k_ == 0) return;
  Compact();
  std::sort(kept_.begin(), kept_.end(), Better{});
  for (const auto& [score, t] : kept_) {
    out->tracks.push_back(m.tracks[t]);
    out->scores.push_back(score == 0 ? 0.0 : score);
  }
  kept_.clear();
}

}  // namespace botify::train::ub
