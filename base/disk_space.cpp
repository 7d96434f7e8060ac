#include "base/disk_space.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace botify {

Result<std::uint64_t> FreeDiskBytes(const std::filesystem::path& path) {
  struct statvfs vfs {};
  if (::statvfs(path.c_str(), &vfs) != 0) {
    return Status::IoError("cannot read the free space of " + path.string() + ": " +
                           std::strerror(errno));
  }
  return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

Result<bool> OnSameFileSystem(const std::filesystem::path& a, const std::filesystem::path& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) != 0) return Status::IoError("cannot stat " + a.string());
  if (::stat(b.c_str(), &sb) != 0) return Status::IoError("cannot stat " + b.string());
  return sa.st_dev == sb.st_dev;
}

Status RequireFreeDiskBytes(const std::filesystem::path& dir, std::uint64_t needed,
                            const std::string& what) {
  auto free = FreeDiskBytes(dir);
  if (!free.ok()) return free.status();
  if (*free >= needed) return Status::Ok();
  return Status::ResourceExhausted("not enough free space to " + what + ": the file system of " +
                                   dir.string() + " has " + std::to_string(*free) +
                                   " bytes free, " + std::to_string(needed) + " needed");
}

}  // namespace botify
