// Writes trainers' lists as recommendations files (docs/contracts.md §6, exactly): per track
// {"track": t, "recommendations": [...]} or per user {"user": u, "tracks": [...]}, one
// line a key, ascending by key.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::train::contextual {

// lists[t] is track t's list; empty lists are left out (the index builder rejects them).
// Written atomically (catalog::RecommendationsFileWriter). Returns the number of lines via
// *written.
Status WriteTrackListsFile(const std::string& path, const std::vector<std::vector<TrackId>>& lists,
                           std::size_t* written = nullptr);

// (user, list) pairs, ascending by user; empty lists are left out. Written atomically.
Status WriteUserListsFile(const std::string& path,
                          const std::vector<std::pair<UserId, std::vector<TrackId>>>& lists,
                          std::size_t* written = nullptr);

}  // namespace botify::train::contextual
