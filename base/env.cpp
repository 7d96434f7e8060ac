#include "base/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/dir_lock.h"
#include "base/file.h"

namespace botify {
namespace {

namespace fs = std::filesystem;

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

class PosixAppendableFile final : public AppendableFile {
 public:
  PosixAppendableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixAppendableFile() override { ::close(fd_); }

  Result<std::size_t> Append(std::string_view data) override {
    while (true) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n > 0) return static_cast<std::size_t>(n);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) errno = EIO;
      return Errno("cannot write", path_);
    }
  }

  Status Sync() override {
    if (::fsync(fd_) != 0) return Errno("cannot fsync", path_);
    return Status::Ok();
  }

  Result<FileId> Id() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return Errno("cannot stat", path_);
    return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  }

 private:
  const int fd_;
  const std::string path_;
};

class DirLockHandle final : public FileLock {
 public:
  explicit DirLockHandle(std::unique_ptr<DirLock> lock) : lock_(std::move(lock)) {}
  FileId id() const override { return lock_->id(); }

 private:
  std::unique_ptr<DirLock> lock_;
};

class PosixEnv final : public Env {
 public:
  Status CreateDirs(const std::string& dir) override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
    return Status::Ok();
  }

  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("cannot open", path);
    return std::unique_ptr<AppendableFile>(new PosixAppendableFile(fd, path));
  }

  Result<std::vector<FileEntry>> ListFiles(const std::string& dir) override {
    std::vector<FileEntry> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code entry_ec;
      if (!it->is_regular_file(entry_ec)) continue;
      const std::uint64_t size = it->file_size(entry_ec);
      if (entry_ec) continue;  // removed while listing (a shipper): not there any more
      files.push_back({it->path().filename().string(), size});
    }
    if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());
    return files;
  }

  Status ReadAt(const std::string& path, std::uint64_t offset, std::size_t n,
                std::string* out) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open", path);
    out->resize(n);
    std::size_t done = 0;
    while (done < n) {
      const ssize_t got =
          ::pread(fd, out->data() + done, n - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        Status s = Errno("cannot read", path);
        ::close(fd);
        return s;
      }
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    ::close(fd);
    out->resize(done);
    return Status::Ok();
  }

  Status TruncateDurably(const std::string& path, std::uint64_t size) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open", path);
    Status s;
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
      s = Errno("cannot truncate", path);
    } else if (::fsync(fd) != 0) {
      s = Errno("cannot fsync", path);
    }
    ::close(fd);
    return s;
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return Errno("cannot rename " + from + " to", to);
    return Status::Ok();
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return Errno("cannot remove", path);
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override { return botify::SyncDir(dir); }

  Status WriteFileAtomically(const std::string& path, std::string_view contents) override {
    return botify::WriteFileAtomically(path, contents);
  }

  Result<FileId> IdOf(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return Status::NotFound("no file " + path);
      return Errno("cannot stat", path);
    }
    return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  }

  Result<std::unique_ptr<FileLock>> LockDir(const std::string& dir, const std::string& pid_file,
                                            const std::string& holder_kind) override {
    auto lock = DirLock::AcquireDir(dir, pid_file, holder_kind);
    if (!lock.ok()) return lock.status();
    return std::unique_ptr<FileLock>(new DirLockHandle(std::move(*lock)));
  }

  std::chrono::steady_clock::time_point SteadyNow() override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point WallNow() override {
    return std::chrono::system_clock::now();
  }
  bool WaitUntil(CondVar& cv, Mutex& mu, std::chrono::steady_clock::time_point deadline) override
      REQUIRES(mu) {
    return cv.WaitUntil(mu, deadline);
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* const env = new PosixEnv();  // never destroyed: usable at exit
  return env;
}

}  // namespace botify
