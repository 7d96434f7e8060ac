// The users an evaluation ranks: every user with a test positive, or a seeded sample of
// them (`train mf --eval-users N`). Ranking a test user costs a pass over every item, so
// a full evaluation grows as test users x items; a sample of N users costs N x items, and
// its precision@k estimates the full one within the reported 95% interval (which widens
// as 1 / sqrt(N)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

// Ascending users with at least one positive in `test`. With 0 < sample < their number,
// `sample` of them drawn without replacement by a generator seeded from `seed` (the same
// seed and split give the same sample); otherwise all of them.
std::vector<std::uint32_t> EvaluationUsers(const UserItemMatrix& test, std::size_t sample,
                                           std::uint64_t seed);

}  // namespace botify::train::mf
