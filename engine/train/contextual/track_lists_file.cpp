#include "engine/train/contextual/track_lists_file.h"

#include "engine/catalog/recommendations_file_writer.h"

namespace botify::train::contextual {
namespace {

// Writes lists(i) keyed by key_of(i) for i < n, skipping empty lists.
template <typename KeyOf, typename ListOf>
Status WriteLists(const std::string& path, catalog::ListKey key, std::size_t n, KeyOf key_of,
                  ListOf list_of, std::size_t* written) {
  auto writer = catalog::RecommendationsFileWriter::Open(path);
  if (!writer.ok()) return writer.status();
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<TrackId>& list = list_of(i);
    if (list.empty()) continue;
    BOTIFY_RETURN_IF_ERROR(writer->Add(key, key_of(i), list));
  }
  if (written != nullptr) *written = writer->lines();
  return writer->Commit();
}

}  // namespace

Status WriteTrackListsFile(const std::string& path, const std::vector<std::vector<TrackId>>& lists,
                           std::size_t* written) {
  return WriteLists(
      path, catalog::ListKey::kTrack, lists.size(),
      [](std::size_t t) { return static_cast<std::uint32_t>(t); },
      [&](std::size_t t) -> const std::vector<TrackId>& { return lists[t]; }, written);
}

Status WriteUserListsFile(const std::string& path,
                          const std::vector<std::pair<UserId, std::vector<TrackId>>>& lists,
                          std::size_t* written) {
  return WriteLists(
      path, catalog::ListKey::kUser, lists.size(), [&](std::size_t i) { return lists[i].first; },
      [&](std::size_t i) -> const std::vector<TrackId>& { return lists[i].second; }, written);
}

}  // namespace botify::train::contextual
