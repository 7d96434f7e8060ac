// The last step of the dense searches that ask faiss for candidates (hnsw_index.h,
// ivf_flat_index.h): the candidates a query got, with their scores, ranked as every dense
// ranking orders a list (index.h): score descending, equal scores to the lower id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace botify::dense {

// (score, target id) of one candidate.
using ScoredCandidate = std::pair<float, std::uint32_t>;

// Writes the best min(k, scored->size()) ids of *scored, best first, to *ranked (cleared
// first); reorders *scored. The caller has already dropped the query's exclusions.
void RankCandidates(std::size_t k, std::vector<ScoredCandidate>* scored,
                    std::vector<std::uint32_t>* ranked);

}  // namespace botify::dense
