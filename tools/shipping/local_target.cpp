#include "tools/shipping/local_target.h"

#include <system_error>

#include "base/file.h"

namespace botify::tools {

namespace fs = std::filesystem;

Result<std::optional<std::uint64_t>> LocalTarget::FileLength(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(Full(path), ec);
  if (st.type() == fs::file_type::not_found) return std::optional<std::uint64_t>();
  if (ec) return Status::IoError("cannot stat " + Describe(path) + ": " + ec.message());
  if (st.type() != fs::file_type::regular) {
    return Status::FailedPrecondition(Describe(path) + " exists and is not a regular file");
  }
  const std::uintmax_t size = fs::file_size(Full(path), ec);
  if (ec) return Status::IoError("cannot stat " + Describe(path) + ": " + ec.message());
  return std::optional<std::uint64_t>(size);
}

Status LocalTarget::MakeDirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(Full(dir), ec);
  if (ec) return Status::IoError("cannot create folder " + Describe(dir) + ": " + ec.message());
  // Make the new folder entries durable, from the new folder up to the root.
  for (fs::path p = Full(dir);; p = p.parent_path()) {
    BOTIFY_RETURN_IF_ERROR(SyncDir(p));
    if (p == root_ || p == p.parent_path()) break;
  }
  return Status::Ok();
}

Status LocalTarget::Write(const std::string& path, std::string_view data) {
  return WriteAndSync(Full(path), data);
}

Status LocalTarget::Rename(const std::string& from, const std::string& to) {
  return RenameNoReplace(Full(from), Full(to));
}

Status LocalTarget::Delete(const std::string& path) { return RemoveDurably(Full(path)); }

std::string LocalTarget::Describe(const std::string& path) const {
  return "file://" + Full(path).string();
}

}  // namespace botify::tools
