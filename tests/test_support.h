// Helpers shared by the test suites: temporary directories and child processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/catalog/catalog.h"
#include "engine/catalog/recommendations_file.h"

namespace botify::testing {

// Tracks 0..n-1, track t by artist "artist<t % artists>", title "title<t>".
catalog::Catalog SmallCatalog(int n = 100, int artists = 10);

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Every line of a recommendations file (docs/contracts.md §6), parsed; fails the test on a bad
// line.
std::vector<catalog::RecommendationsLine> ReadRecommendationsFile(const std::string& path);

// The lines of the recommendations files `parts` (shards of one job), ordered by key, as one
// file's text: what the unsharded job writes, ascending by key.
std::string MergeRecommendationParts(const std::vector<std::string>& parts);

// Writes `text` to `path`, replacing it.
void WriteFile(const std::string& path, const std::string& text);
// Polls `done` every few milliseconds until it is true (returns true) or `timeout` passed
// (returns false): the bounded wait tests use instead of a fixed sleep.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));
std::string ReadFile(const std::string& path);
// Writes `text` gzip-compressed; with `cut_bytes` > 0, drops that many bytes off the end
// of the compressed file (a stream cut mid-way: no trailer, the last block partial).
void WriteGzipFile(const std::string& path, const std::string& text, std::size_t cut_bytes = 0);
// Flips the lowest bit of the byte in the middle of `path` (a damaged block).
void FlipMiddleBit(const std::string& path);
// The first regular file directly in `dir` (in name order) whose name ends with `suffix`
// and for which `match` is true; "" if none. Finds, say, the index SST of a database.
std::string FindFile(const std::string& dir, const std::string& suffix,
                     const std::function<bool(const std::string& path)>& match);

// A child process started with argv; stdout and stderr go to files in `log_dir`.
// Killed (SIGKILL) on destruction if still running.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
               const std::string& stderr_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit; returns the exit code, or 128+signal if killed by a signal,
  // or -1 if it did not exit within `timeout_ms`.
  int Wait(int timeout_ms = 30000);
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// A tmpfs of `bytes` mounted at `dir` (created) for the life of the object, to test a full
// disk; ok() is false where mounting is not permitted (not root): the test then skips.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, std::size_t bytes);
  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool ok() const { return ok_; }

 private:
  std::string dir_;
  bool ok_ = false;
};

// Runs a command to completion; returns its exit code and captures stdout+stderr.
int RunCommand(const std::vector<std::string>& argv, std::string* output = nullptr,
               int timeout_ms = 120000);

}  // namespace botify::testing
