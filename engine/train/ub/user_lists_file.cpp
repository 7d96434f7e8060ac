#include "engine/train/ub/user_lists_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"

namespace botify::train::ub {
namespace {

Status WriteAll(std::FILE* f, const std::string& tmp, const std::vector<UserList>& lists) {
  std::string buffer;
  for (const auto& list : lists) {
    catalog::AppendRecommendationsLine(&buffer, catalog::ListKey::kUser, list.user, list.tracks);
    if (buffer.size() >= (1 << 20) || &list == &lists.back()) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), f) != buffer.size()) {
        return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
      }
      buffer.clear();
    }
  }
  return Status::Ok();
}

}  // namespace

Status WriteUserListsFile(const std::string& path, const std::vector<UserList>& lists) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IoError("cannot create " + tmp + ": " + std::strerror(errno));
  Status status = WriteAll(f, tmp, lists);
  if (std::fclose(f) != 0 && status.ok()) {
    status = Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (status.ok()) status = CommitFile(tmp, path);
  std::error_code ec;
  if (!status.ok()) std::filesystem::remove(tmp, ec);
  return status;
}

}  // namespace botify::train::ub
