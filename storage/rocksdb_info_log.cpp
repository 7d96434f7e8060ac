#include "storage/rocksdb_info_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace botify::storage {

Status InfoLogOptions::Validate() const {
  if (path.empty()) return Status::InvalidArgument("info log path is empty");
  if (max_bytes < 4096) return Status::InvalidArgument("info log size must be >= 4 KiB");
  return Status::Ok();
}

InfoLog::InfoLog(InfoLogOptions options)
    : rocksdb::Logger(options.level), options_(std::move(options)) {
  MutexLock lock(mu_);
  OpenLocked();
}

InfoLog::~InfoLog() {
  MutexLock lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

rocksdb::Status InfoLog::CloseImpl() {
  MutexLock lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return rocksdb::Status::OK();
}

void InfoLog::OpenLocked() {
  fd_ = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct stat st {};
  size_ = fd_ >= 0 && ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

void InfoLog::Logv(const char* format, va_list ap) {
  // "2026/12/03-19:45:00.123456 " as RocksDB's own LOG, then the message, one line.
  timeval now{};
  ::gettimeofday(&now, nullptr);
  std::tm tm{};
  const std::time_t seconds = now.tv_sec;
  ::localtime_r(&seconds, &tm);
  char stamp[96];  // room for any int the compiler cannot bound
  std::snprintf(stamp, sizeof(stamp), "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long>(now.tv_usec));
  std::string line = stamp;
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (n > 0) {
    const std::size_t at = line.size();
    line.resize(at + static_cast<std::size_t>(n) + 1);
    std::vsnprintf(line.data() + at, static_cast<std::size_t>(n) + 1, format, ap);
    line.resize(at + static_cast<std::size_t>(n));
  }
  if (line.empty() || line.back() != '\n') line.push_back('\n');
  MutexLock lock(mu_);
  Write(line);
}

void InfoLog::Write(const std::string& line) {
  if (fd_ >= 0 && size_ + line.size() > options_.max_bytes) {
    ::close(fd_);
    fd_ = -1;
    // Best effort: if the rename fails the file is reopened and truncated below.
    const bool rotated = ::rename(options_.path.c_str(), (options_.path + ".old").c_str()) == 0;
    OpenLocked();
    if (!rotated && fd_ >= 0 && ::ftruncate(fd_, 0) == 0) size_ = 0;
  }
  if (fd_ < 0) OpenLocked();
  if (fd_ < 0) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written > 0) size_ += static_cast<std::uint64_t>(written);
  if (written != static_cast<ssize_t>(line.size())) {
    dropped_.fetch_add(1, std::memory_order_relaxed);  // ENOSPC, EIO, ...: never the caller's
  }
}

size_t InfoLog::GetLogFileSize() const {
  MutexLock lock(mu_);
  return size_;
}

}  // namespace botify::storage
