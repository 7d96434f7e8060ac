// The files and clocks a long-running component touches, behind one interface, so that a
// test can fail a write, fill the disk, delete files behind its back or move time
// (LevelDB's Env is the model). Env::Default() is the real POSIX file system and clocks;
// tests/fake_env.h is an in-memory one with fault injection and a manual clock.
//
// Thread-safety: every Env method may be called from any thread. An AppendableFile is
// used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace botify {

// A file open for appending. Destruction closes it (without syncing).
class AppendableFile {
 public:
  virtual ~AppendableFile() = default;
  // Appends a prefix of `data`; returns how many bytes (possibly fewer than asked, never
  // 0 for non-empty data) or the error (a full disk: kIoError "... No space left").
  virtual Result<std::size_t> Append(std::string_view data) = 0;
  // Makes what was appended durable (fsync).
  virtual Status Sync() = 0;
};

// Held for its lifetime; see base/dir_lock.h.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct FileEntry {
  std::string name;  // file name within the folder
  std::uint64_t size = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  // The POSIX file system and the process's clocks. Never null; lives forever.
  static Env* Default();

  virtual Status CreateDirs(const std::string& dir) = 0;
  // Opens (creating if needed, mode 0644) `path` for appending.
  virtual Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) = 0;
  // The regular files directly in `dir` (not sorted).
  virtual Result<std::vector<FileEntry>> ListFiles(const std::string& dir) = 0;
  // Up to `n` bytes of `path` from `offset` into *out (shorter at the end of the file).
  virtual Status ReadAt(const std::string& path, std::uint64_t offset, std::size_t n,
                        std::string* out) = 0;
  // Cuts `path` to `size` bytes and makes that durable.
  virtual Status TruncateDurably(const std::string& path, std::uint64_t size) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Makes the folder's entries (creations, renames) durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // An exclusive lock on `lock_file` (created if needed); kUnavailable naming
  // `holder_kind` and the holder's pid if another process holds it.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& lock_file,
                                                     const std::string& holder_kind) = 0;

  // Monotonic time, for ages and intervals.
  virtual std::chrono::steady_clock::time_point SteadyNow() = 0;
  // Wall-clock time, for names and stamps.
  virtual std::chrono::system_clock::time_point WallNow() = 0;
};

}  // namespace botify
