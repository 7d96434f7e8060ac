#include "base/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace botify {

namespace {

// The pid a holder wrote into `pid_file`, or "unknown".
std::string HolderPid(const std::filesystem::path& pid_file) {
  const int fd = open(pid_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "unknown";
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  close(fd);
  std::string pid(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  pid.erase(pid.find_last_not_of(" \n") + 1);
  return pid.empty() ? "unknown" : pid;
}

// Best effort: the pid only improves the message a refused process prints.
void WritePid(const std::filesystem::path& pid_file) {
  const int fd = open(pid_file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) == 0 && pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // ignored: the lock itself is held
  }
  close(fd);
}

// Locks the open `fd` of `locked`, which guards `folder`; closes `fd` on failure.
Result<FileId> LockOpen(int fd, const std::filesystem::path& folder,
                        const std::filesystem::path& locked, const std::filesystem::path& pid_file,
                        const std::string& holder_kind) {
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Unavailable(folder.string() + " is in use by another " + holder_kind +
                                 " (pid " + HolderPid(pid_file) + ", lock " + locked.string() +
                                 ")");
    }
    return Status::IoError("cannot lock " + locked.string() + ": " + std::strerror(err));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return Status::IoError("cannot stat " + locked.string() + ": " + std::strerror(err));
  }
  return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

}  // namespace

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::filesystem::path& lock_file,
                                                  const std::string& holder_kind) {
  const int fd = open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot open lock file " + lock_file.string() + ": " +
                           std::strerror(errno));
  }
  auto id = LockOpen(fd, lock_file.parent_path(), lock_file, lock_file, holder_kind);
  if (!id.ok()) return id.status();
  WritePid(lock_file);
  return std::unique_ptr<DirLock>(new DirLock(fd, *id));
}

Result<std::unique_ptr<DirLock>> DirLock::AcquireDir(const std::filesystem::path& dir,
                                                     const std::filesystem::path& pid_file,
                                                     const std::string& holder_kind) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open folder " + dir.string() +
                           " to lock it: " + std::strerror(errno));
  }
  auto id = LockOpen(fd, dir, dir, pid_file, holder_kind);
  if (!id.ok()) return id.status();
  WritePid(pid_file);
  return std::unique_ptr<DirLock>(new DirLock(fd, *id));
}

DirLock::~DirLock() { close(fd_); }

}  // namespace botify
