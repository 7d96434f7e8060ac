// An exclusive advisory lock (flock) on a file, held for the lifetime of the object, so
// that two shippers never work on the same sealed folder at once. The kernel releases it
// when the process dies, also on SIGKILL, so a crashed shipper never blocks the next one.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/status.h"

namespace botify::tools {

// Thread-compatible; not copyable.
class DirLock {
 public:
  // Creates `lock_file` if needed and locks it without waiting; kUnavailable if another
  // process holds it.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::filesystem::path& lock_file);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  const int fd_;
};

}  // namespace botify::tools
