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
class TopKSelector {
 public:
  explicit TopKSelector(std::size_t k) : k_(k) { heap_.reserve(k); }

  // Writes the best min(k, |scores| - |excluded|) indices, best first, to *out.
  // `excluded` must be ascending.
  void Select(std::span<const float> scores, std::span<const std::uint32_t> excluded,
              std::vector<std::uint32_t>* out);

 private:
  std::size_t k_;
  std::vector<std::pair<float, std::uint32_t>> heap_;
};

}  // namespace botify::train::mf
