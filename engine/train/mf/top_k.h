// Top-k selection over a dense score vector, skipping excluded indices. Ranks by score
// descending, ties by index ascending (dense item index order is track id order, so
// ties go to the lower track id).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace botify::train::mf {

// Thread-compatible: reuses its heap buffer across calls, so one per thread.
//
// Two ways to use it, with the same result: Select() over a whole score vector, or the
// streaming Reset(), Offer() over consecutive ascending slices of the indices, Finish()
// (UserBlockRanker scores items tile by tile). Select() is exactly Reset + one Offer +
// Finish, so both perform the same comparisons in the same order.
class TopKSelector {
 public:
  explicit TopKSelector(std::size_t k) : k_(k) { heap_.reserve(k); }

  // Writes the best min(k, |scores| - |excluded|) indices, best first, to *out.
  // `excluded` must be ascending.
  void Select(std::span<const float> scores, std::span<const std::uint32_t> excluded,
              std::vector<std::uint32_t>* out);

  // Starts a selection; `excluded` (ascending) must stay valid until Finish().
  void Reset(std::span<const std::uint32_t> excluded);
  // Offers scores[j] as index first + j. Slices must come in ascending index order, each
  // starting where the previous one ended (the first at 0).
  void Offer(std::span<const float> scores, std::uint32_t first);
  // Writes the selection, best first, to *out.
  void Finish(std::vector<std::uint32_t>* out);

 private:
  std::size_t k_;
  std::span<const std::uint32_t> excluded_;
  std::size_t next_excluded_ = 0;
  std::vector<std::pair<float, std::uint32_t>> heap_;
};

}  // namespace botify::train::mf
