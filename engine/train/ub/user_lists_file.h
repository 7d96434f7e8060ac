// Writes per-user lists as the recommendations file (docs/contracts.md §6, exactly):
// {"user": u, "tracks": [...]} per line, in the order given.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::train::ub {

// Writes `path` atomically through catalog::RecommendationsFileWriter: a reader (the index
// builder) never sees a half-written file. Thread-compatible.
Status WriteUserListsFile(const std::string& path, const std::vector<UserList>& lists);

}  // namespace botify::train::ub
