// The best `depth` ids offered by (score descending, id ascending); NaN and -inf scores
// are never kept. One per query being ranked (score_tile.h's users).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace botify::train::ann {

// Thread-compatible.
class IdSelector {
 public:
  void Reset(std::size_t depth);
  // scores[j] is target first_id + j. Calls must offer ids in ascending order (an exact
  // ranker's tiles), so a tie with the worst kept one loses: one comparison per target.
  void OfferRun(const float* scores, std::size_t n, std::uint32_t first_id);
  // scores[j] is target ids[j], ids in any order (clustered_search.h's clusters): a tie
  // with the worst kept one wins when its id is lower. After any order of offers, the
  // kept set is that of offering every id ascending.
  void OfferIds(const float* scores, const std::uint32_t* ids, std::size_t n);
  // The kept ids, best first.
  void Sorted(std::vector<std::uint32_t>* out);

 private:
  void Insert(float score, std::uint32_t id);

  std::size_t depth_ = 0;
  float threshold_ = 0;  // the worst kept score once full; -inf before (+inf for depth 0)
  std::vector<std::pair<float, std::uint32_t>> heap_;
};

}  // namespace botify::train::ann
