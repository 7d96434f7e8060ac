#include "engine/dense/candidates.h"

#include <algorithm>

namespace botify::dense {

void RankCandidates(std::size_t k, std::vector<ScoredCandidate>* scored,
                    std::vector<std::uint32_t>* ranked) {
  const std::size_t keep = std::min(k, scored->size());
  std::partial_sort(scored->begin(), scored->begin() + static_cast<std::ptrdiff_t>(keep),
                    scored->end(), [](const ScoredCandidate& a, const ScoredCandidate& b) {
                      return a.first > b.first || (a.first == b.first && a.second < b.second);
                    });
  ranked->clear();
  for (std::size_t i = 0; i < keep; ++i) ranked->push_back((*scored)[i].second);
}

}  // namespace botify::dense
