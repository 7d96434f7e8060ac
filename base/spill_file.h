// A temporary file for data that does not fit in memory (an external sort's runs). It is
// created in a given folder and unlinked at once, so it has no name while it is used: it
// disappears when it is closed, also when the process is killed, and never collides with
// or leaves behind a file of anyone else's. Errors are kIoError naming the folder.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <utility>

#include "base/status.h"

namespace botify {

// Thread-compatible; not copyable (held by unique_ptr). Written once from the start, then
// read back from the start (Rewind) as often as needed.
class SpillFile {
 public:
  // Creates the file in `dir` (which must exist).
  static Result<std::unique_ptr<SpillFile>> Create(const std::filesystem::path& dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes` bytes (unbuffered: callers write large blocks).
  Status Append(const void* data, std::size_t bytes);
  // Moves the read position to the start.
  Status Rewind();
  // Reads up to `bytes` bytes at the read position; *read is what was read, 0 at the end.
  Status Read(void* data, std::size_t bytes, std::size_t* read);

 private:
  SpillFile(int fd, std::filesystem::path dir) : fd_(fd), dir_(std::move(dir)) {}
  Status Error(const char* what) const;

  const int fd_;
  const std::filesystem::path dir_;  // for messages: the file itself has no name
};

}  // namespace botify
