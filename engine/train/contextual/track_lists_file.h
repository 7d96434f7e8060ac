// Writes per-track lists as the contextual recommendations file (docs/contracts.md §6, exactly):
// {"track": t, "recommendations": [...]} per line, ascending by track.
#pragma once

#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::train::contextual {

// lists[t] is track t's list; empty lists are left out (the index builder rejects them).
// Written atomically (base/file.h). Returns the number of lines via *written.
Status WriteTrackListsFile(const std::string& path, const std::vector<std::vector<TrackId>>& lists,
                           std::size_t* written = nullptr);

}  // namespace botify::train::contextual
