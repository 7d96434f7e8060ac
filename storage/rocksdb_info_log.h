// RocksDB's own diagnostic log (its "LOG" file), written by botify instead of RocksDB.
//
// Why: RocksDB's built-in info log asserts on its own write errors; with the database's
// disk full, a failed write to LOG inside an index ingest aborted botify-server (SIGABRT).
// This logger can never fail its caller: a line that cannot be written (full disk, any
// I/O error) is dropped and counted, nothing is retried, nothing is asserted. It is also
// bounded: past max_bytes the file is renamed to "<path>.old" (replacing the previous
// one) and a new one is started, so the log holds at most 2 x max_bytes on disk.
//
// Each line is one write(2) with O_APPEND: no user-space buffer to flush, nothing lost
// at a crash that the kernel had accepted. Never fsynced (diagnostics only).
#pragma once

#include <rocksdb/env.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/mutex.h"
#include "base/status.h"

namespace botify::storage {

struct InfoLogOptions {
  // The log file; created (with its folder's existing permissions) if missing.
  std::string path;
  // Rotate to "<path>.old" once the file would exceed this many bytes.
  std::uint64_t max_bytes = 8ull << 20;
  // Lines below this level are not written.
  rocksdb::InfoLogLevel level = rocksdb::InfoLogLevel::INFO_LEVEL;

  Status Validate() const;
};

// Thread-safe (RocksDB logs from its background threads).
class InfoLog final : public rocksdb::Logger {
 public:
  // Never fails: a log that cannot be opened drops its lines (and tries again at the next).
  explicit InfoLog(InfoLogOptions options);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  size_t GetLogFileSize() const override;

  // Lines that could not be written.
  std::uint64_t dropped_lines() const { return dropped_.load(std::memory_order_relaxed); }

 protected:
  rocksdb::Status CloseImpl() override;

 private:
  void Write(const std::string& line) REQUIRES(mu_);
  void OpenLocked() REQUIRES(mu_);

  const InfoLogOptions options_;
  mutable Mutex mu_;
  int fd_ GUARDED_BY(mu_) = -1;
  std::uint64_t size_ GUARDED_BY(mu_) = 0;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace botify::storage
