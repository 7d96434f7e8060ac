#include "engine/train/ub/user_lists_file.h"

#include "engine/catalog/recommendations_file_writer.h"

namespace botify::train::ub {

Status WriteUserListsFile(const std::string& path, const std::vector<UserList>& lists) {
  auto writer = catalog::RecommendationsFileWriter::Open(path);
  if (!writer.ok()) return writer.status();
  for (const auto& list : lists) {
    BOTIFY_RETURN_IF_ERROR(writer->Add(catalog::ListKey::kUser, list.user, list.tracks));
  }
  return writer->Commit();
}

}  // namespace botify::train::ub
