// An in-memory Env (base/env.h) for unit tests of components that write files: files and
// folders live in maps, time moves only when the test says so, and faults are injected
// on demand — every append fails, or the "disk" holds only so many bytes (writes past it
// are short, then fail with "No space left on device"), or fsync fails, or renames fail
// as between two file systems. As on POSIX, a file is an inode with names: an open file
// keeps writing to its inode after its name is removed or moved, and a folder removed
// and created again is a different folder. Thread-safe.
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
  // Renames into `dir` fail with "Invalid cross-device link" (a folder on another disk).
  void set_cross_device(const std::string& dir, bool cross);
  // Total bytes all files may hold; 0 = unlimited.
  void set_capacity(std::uint64_t bytes);
  // Moves both clocks forward, and wakes every WaitUntil (each re-checks its deadline).
  void Advance(std::chrono::nanoseconds by);
  // With a manual clock, WaitUntil ends only when its caller is notified or Advance() moves
  // the steady clock to its deadline: time passes only when the test says so. Without
  // (the default), WaitUntil waits out the remaining time in real time, as the real Env.
  void set_manual_clock(bool manual);
  // Calls blocked in WaitUntil now, and calls of WaitUntil since construction: a test
  // waits for a component to be back in its wait (its round done) with these.
  int waiting() const;
  std::uint64_t waits_begun() const;
  // Steps the wall clock alone, backward too (an NTP step); the steady clock does not move.
  void StepWallClock(std::chrono::nanoseconds by);

  // --- inspection and the outside world's actions ---
  bool Exists(const std::string& path) const;
  std::string Contents(const std::string& path) const;
  void Put(const std::string& path, std::string contents);  // creates the file (and folder)
  // Removes `dir` and everything under it, as `rm -rf` does (open files keep their inodes).
  // With `hold_new_one`, in the same instant another process creates `dir` again and
  // locks it (see ReleaseForeignLock).
  void RemoveAll(const std::string& dir, bool hold_new_one = false);
  // Lets go of the lock RemoveAll(dir, true) took for "another process".
  void ReleaseForeignLock(const std::string& dir);
  std::uint64_t appends_failed() const;
  // Bytes all files hold now (what set_capacity bounds).
  std::uint64_t used() const;

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
  Status WriteFileAtomically(const std::string& path, std::string_view contents) override;
  Result<FileId> IdOf(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> LockDir(const std::string& dir, const std::string& pid_file,
                                            const std::string& holder_kind) override;
  std::chrono::steady_clock::time_point SteadyNow() override;
  std::chrono::system_clock::time_point WallNow() override;
  bool WaitUntil(CondVar& cv, Mutex& mu, std::chrono::steady_clock::time_point deadline) override
      REQUIRES(mu);

 private:
  class File;
  class Lock;
  friend class File;
  friend class Lock;
  Result<std::size_t> AppendTo(std::uint64_t inode, const std::string& path, std::string_view data);
  Status SyncFile(const std::string& path);
  std::uint64_t UsedLocked() const;
  void CreateDirsLocked(const std::string& dir);

  mutable std::mutex mu_;
  // Guarded by mu_:
  std::map<std::uint64_t, std::string> data_;   // inode -> contents (also of unlinked files)
  std::map<std::string, std::uint64_t> files_;  // path -> inode
  std::map<std::string, std::uint64_t> dirs_;   // path -> inode
  std::set<std::uint64_t> locked_dirs_;         // inodes of locked folders
  std::set<std::string> cross_device_;
  std::uint64_t next_inode_ = 1;
  bool fail_appends_ = false, fail_syncs_ = false;
  std::uint64_t capacity_ = 0;
  std::uint64_t appends_failed_ = 0;
  std::chrono::nanoseconds elapsed_{0};
  // A caller blocked in WaitUntil: Advance notifies its `cv` holding its `mu`, so that
  // the wake cannot fall between its deadline check and its wait. Must stay alive while
  // registered (it is, for the caller's whole WaitUntil).
  struct Waiter {
    CondVar* cv;
    Mutex* mu;
  };
  std::vector<Waiter> waiters_;
  bool manual_clock_ = false;
  std::uint64_t waits_begun_ = 0;
  std::chrono::nanoseconds wall_step_{0};
};

}  // namespace botify::testing
