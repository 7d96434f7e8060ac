// Top-k selection over scores offered in ascending id order: the best k ids by score
// descending, equal scores to the lower id. NaN and -inf scores and excluded ids are never
// kept. The one selector of every dense ranking (exact_index.h, the MF popularity
// baseline).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace botify::dense {

// Thread-compatible: reuses its buffer across selections, so one per worker (or per query
// of a block).
//
// How: scores above the threshold (the worst of the best k so far) are appended to a
// buffer of up to 4k; when it is full, nth_element keeps its best k and the threshold
// rises to the k-th. Per offered score that is one comparison, and per kept one O(1)
// amortised (a heap costs O(log k) per insertion, and with ids in an order unrelated to
// the scores about k ln(n / k) of n scores get inserted).
//
// With a margin (the dense rankings, block_rows.h): the offered scores are only close to
// the ones that rank. Every id within `margin` of the k-th best offered score is kept, and
// FinishRescored orders what was kept by the caller's exact scores. If every offered
// score is within margin / 2 of its exact score, the result is the best k by exact score,
// whatever the offered scores' rounding.
class TopK {
 public:
  // Starts a selection of at most k ids. `excluded` (ascending) must stay valid until
  // Finish(). `margin` >= 0.
  void Reset(std::size_t k, std::span<const std::uint32_t> excluded = {}, float margin = 0);
  // Offers scores[j] as id first + j. Ids must ascend across the calls of a selection
  // (each call starts past the previous call's last id): a score equal to the threshold
  // then always loses to the kept one it ties with, so a score is rejected by one
  // comparison, and runs of rejected scores are skipped 16 at a time.
  void Offer(const float* scores, std::size_t n, std::uint32_t first);
  // Offers scores[j] as id ids[j], ids in any order (a bounded search's cells): a score
  // equal to the threshold is kept for the final (score, id) order to decide, and the
  // exclusions are looked up (binary search). After any order of OfferIds calls the
  // selection is that of offering every id ascending. Not to be mixed with Offer in one
  // selection.
  void OfferIds(const float* scores, const std::uint32_t* ids, std::size_t n);
  // Writes the best k kept ids by offered score, best first, to *out (cleared first).
  void Finish(std::vector<std::uint32_t>* out);
  // Writes the best k kept ids by exact_score(id) (a float), equal scores to the lower id,
  // best first, to *out (cleared first). exact_score is called once per kept id.
  template <typename ExactScore>
  void FinishRescored(std::vector<std::uint32_t>* out, ExactScore&& exact_score) {
    for (std::size_t i = 0; i < buffer_.size(); ++i) Rescore(i, exact_score(KeptId(i)));
    Finish(out);
  }

 private:
  // Keeps the best k of the buffer and those within margin_ of the k-th, and raises the
  // threshold to the k-th less margin_.
  void Shrink();
  std::uint32_t KeptId(std::size_t i) const;
  void Rescore(std::size_t i, float score);

  std::size_t k_ = 0;
  float margin_ = 0;
  // -inf until k are known (so NaN and -inf are rejected too), then the k-th best score
  // seen (with a margin: the float below the k-th less margin_, so that Offer's strict
  // comparison keeps the margin's edge); +inf for k == 0.
  float threshold_ = 0;
  std::size_t limit_ = 0;  // the buffer's size that triggers Shrink: 4k, more after ties
  std::span<const std::uint32_t> excluded_;
  std::size_t next_excluded_ = 0;      // excluded_[..next) are < every id to come
  std::vector<std::uint64_t> buffer_;  // below limit_ candidates, as keys (top_k.cpp)
};

}  // namespace botify::dense
