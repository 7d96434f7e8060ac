#include "engine/train/contextual/track_lists_file.h"

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"

namespace botify::train::contextual {

Status WriteTrackListsFile(const std::string& path, const std::vector<std::vector<TrackId>>& lists,
                           std::size_t* written) {
  std::string text;
  std::size_t lines = 0;
  for (std::size_t t = 0; t < lists.size(); ++t) {
    if (lists[t].empty()) continue;
    catalog::AppendRecommendationsLine(&text, catalog::ListKey::kTrack,
                                       static_cast<std::uint32_t>(t), lists[t]);
    ++lines;
  }
  if (written != nullptr) *written = lines;
  return WriteFileAtomically(path, text);
}

}  // namespace botify::train::contextual
