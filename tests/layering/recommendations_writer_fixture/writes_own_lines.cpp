// Negative control for recommendations_writer_check.sh: a trainer that renders its own
// recommendations lines instead of using catalog::RecommendationsFileWriter. Not compiled.
#include "base/file.h"
#include "engine/catalog/recommendations_file.h"

namespace botify {

Status WriteOwnLines(const std::string& path, std::span<const TrackId> tracks) {
  // catalog::AppendRecommendationsLine(&text, ...) in a comment is fine.
  std::string text;
  catalog::AppendRecommendationsLine(&text, catalog::ListKey::kUser, 0, tracks);
  return WriteWholeFile(path, text);
}

}  // namespace botify
