// An exclusive advisory lock (flock), held for the lifetime of the object, so that two
// processes never own the same folder at once: two shippers on one sealed folder, two
// servers on one log folder. The kernel releases it when the process dies, also on
// SIGKILL, so a crashed holder never blocks the next one. The holder's pid is written into
// a file so that a refused process can say who holds it.
//
// Two forms: a lock on a lock file in the folder (Acquire), and a lock on the folder
// itself (AcquireDir). A lock file can be deleted from under its holder, after which a
// second process creates a new one and locks that; the folder itself cannot be removed
// and recreated without the holder seeing a different folder (its FileId) at that path.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/env.h"
#include "base/status.h"

namespace botify {

// Thread-compatible; not copyable.
class DirLock {
 public:
  // Creates `lock_file` if needed and locks it without waiting; kUnavailable, naming
  // `holder_kind` ("shipper", "botify-server") and the holder's pid, if another process
  // holds it.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::filesystem::path& lock_file,
                                                  const std::string& holder_kind);
  // Locks the folder `dir` itself without waiting and writes this process's pid into
  // `pid_file` (best effort; it only names the holder to a refused process). kUnavailable,
  // naming `holder_kind` and the pid in `pid_file`, if another process holds it.
  static Result<std::unique_ptr<DirLock>> AcquireDir(const std::filesystem::path& dir,
                                                     const std::filesystem::path& pid_file,
                                                     const std::string& holder_kind);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // The locked file or folder.
  const FileId& id() const { return id_; }

 private:
  DirLock(int fd, FileId id) : fd_(fd), id_(id) {}
  const int fd_;
  const FileId id_;
};

}  // namespace botify
