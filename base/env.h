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

#include "base/mutex.h"
#include "base/status.h"

namespace botify {

// Which file a path names or an open file is: the same device and inode is the same file,
// whatever its name now.
struct FileId {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
};

// A file open for appending. Destruction closes it (without syncing).
class AppendableFile {
 public:
  virtual ~AppendableFile() = default;
  // Which file this is (fstat); its owner compares it with what its path names now.
  virtual Result<FileId> Id() = 0;
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
  // The locked folder.
  virtual FileId id() const = 0;
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
  // Replaces `path` with `contents` atomically and durably (temporary file, fsync, rename,
  // folder fsync): a reader sees the old contents or the new, never a mix.
  virtual Status WriteFileAtomically(const std::string& path, std::string_view contents) = 0;
  // Which file `path` names now (following symlinks); kNotFound if nothing does.
  virtual Result<FileId> IdOf(const std::string& path) = 0;
  // An exclusive lock on the folder `dir` itself, which cannot be removed from under the
  // holder the way a lock file in it can; the holder's pid goes into `pid_file` so that
  // a refused process can name it. kUnavailable naming `holder_kind` and the pid if
  // another process holds it.
  virtual Result<std::unique_ptr<FileLock>> LockDir(const std::string& dir,
                                                    const std::string& pid_file,
                                                    const std::string& holder_kind) = 0;

  // Monotonic time, for ages and intervals.
  virtual std::chrono::steady_clock::time_point SteadyNow() = 0;
  // Wall-clock time, for names and stamps.
  virtual std::chrono::system_clock::time_point WallNow() = 0;
  // Blocks on `cv`, releasing `mu` (held by the caller, and again on return), until
  // notified (or spuriously) or until SteadyNow() reaches `deadline`; false once it has.
  // Callers loop: `while (!ready_) if (!env->WaitUntil(cv_, mu_, deadline)) break;`. The
  // one way a component waits on time, so that a test's manual clock (tests/fake_env.h)
  // ends the wait by moving past the deadline and the test never sleeps.
  virtual bool WaitUntil(CondVar& cv, Mutex& mu, std::chrono::steady_clock::time_point deadline)
      REQUIRES(mu) = 0;
};

}  // namespace botify
