#include "engine/train/ub/neighbours.h"

#include <algorithm>

namespace botify::train::ub {

void KeepMostSimilar(std::size_t k, Neighbours* n) {
  if (k == 0 || n->size() <= k) return;
  auto more_similar = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  std::nth_element(n->begin(), n->begin() + static_cast<std::ptrdiff_t>(k), n->end(), more_similar);
  n->resize(k);
  std::sort(n->begin(), n->end());
}

}  // namespace botify::train::ub
