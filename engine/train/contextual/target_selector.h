// The best `depth` targets of one context by (score descending, track id ascending);
// NaN and -inf scores are never kept. Used by both contextual rankers (target_ranker.h).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "base/ids.h"

namespace botify::train::contextual {

// Thread-compatible: one per context being ranked.
class TargetSelector {
 public:
  void Reset(std::size_t depth);
  // scores[j] is target first_id + j. Calls must offer ids in ascending order (the exact
  // ranker's tiles), so a tie with the worst kept one loses: one comparison per target.
  void OfferRun(const float* scores, std::size_t n, TrackId first_id);
  // scores[j] is target ids[j], ids in any order (the bounded ranker's clusters): a tie
  // with the worst kept one wins when its id is lower. After any order of offers, the
  // kept set is that of offering every id ascending.
  void OfferIds(const float* scores, const TrackId* ids, std::size_t n);
  // The kept targets, best first.
  void Sorted(std::vector<TrackId>* out);

 private:
  void Insert(float score, TrackId id);

  std::size_t depth_ = 0;
  float threshold_ = 0;  // the worst kept score once full; -inf before (+inf for depth 0)
  std::vector<std::pair<float, TrackId>> heap_;
};

}  // namespace botify::train::contextual
