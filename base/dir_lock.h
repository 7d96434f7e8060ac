// An exclusive advisory lock (flock) on a file, held for the lifetime of the object, so
// that two processes never own the same folder at once: two shippers on one sealed folder,
// two servers on one log folder. The kernel releases it when the process dies, also on
// SIGKILL, so a crashed holder never blocks the next one. The holder's pid is written into
// the file so that a refused process can say who holds it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

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
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  const int fd_;
};

}  // namespace botify
