// An in-memory Env (base/env.h) for unit tests of components that write files: files and
// folders live in a map, time moves only when the test says so, and faults are injected
// on demand — every append fails, or the "disk" holds only so many bytes (writes past it
// are short, then fail with "No space left on device"), or fsync fails. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "base/env.h"

namespace botify::testing {

class FakeEnv final : public Env {
 public:
  FakeEnv();

  // --- faults and time, set by the test ---
  void set_fail_appends(bool fail);
  void set_fail_syncs(bool fail);
  // Total bytes all files may hold; 0 = unlimited.
  void set_capacity(std::uint64_t bytes);
  void Advance(std::chrono::nanoseconds by);

  // --- inspection ---
  bool Exists(const std::string& path) const;
  std::string Contents(const std::string& path) const;
  void Put(const std::string& path, std::string contents);  // creates the file (and folder)
  std::uint64_t appends_failed() const;

  // --- Env ---
  Status CreateDirs(const std::string& dir) override;
  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override;
  Result<std::vector<FileEntry>> ListFiles(const std::string& dir) override;
  Status ReadAt(const std::string& path, std::uint64_t offset, std::size_t n,
                std::string* out) override;
  Status TruncateDurably(const std::string& path, std::uint64_t size) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status SyncDir(const std::string& dir) override;
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& lock_file,
                                             const std::string& holder_kind) override;
  std::chrono::steady_clock::time_point SteadyNow() override;
  std::chrono::system_clock::time_point WallNow() override;

 private:
  class File;
  friend class File;
  Result<std::size_t> AppendTo(const std::string& path, std::string_view data);
  Status SyncFile(const std::string& path);
  std::uint64_t UsedLocked() const;

  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;  // guarded by mu_
  std::set<std::string> dirs_;                // guarded by mu_
  std::set<std::string> locks_;               // guarded by mu_
  bool fail_appends_ = false, fail_syncs_ = false;
  std::uint64_t capacity_ = 0;
  std::uint64_t appends_failed_ = 0;
  std::chrono::nanoseconds elapsed_{0};
};

}  // namespace botify::testing
