#include "base/file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace botify {
namespace {

Status Errno(const std::string& what, const std::filesystem::path& path) {
  return Status::IoError(what + " " + path.string() + ": " + std::strerror(errno));
}

// Owns a file descriptor; closes it on destruction.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::filesystem::path DirOf(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

}  // namespace

Status ReadWholeFile(const std::filesystem::path& path, std::string* out) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("cannot open", path);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return Errno("cannot stat", path);
  out->resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out->size()) {
    const ssize_t n = read(fd.get(), out->data() + done, out->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read", path);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out->resize(done);
  return Status::Ok();
}

namespace {

// Writes `data` to `path` (truncating; a new file gets `mode` less the umask), and fsyncs
// it if `sync`.
Status WriteFd(const std::filesystem::path& path, std::string_view data, bool sync, mode_t mode) {
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) return Errno("cannot create", path);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  if (sync && fsync(fd.get()) != 0) return Errno("cannot fsync", path);
  return Status::Ok();
}

// Renames `from` over `to` (replacing it) and fsyncs the folder of `to`.
Status RenameOver(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Errno("cannot rename " + from.string() + " to", to);
  }
  return SyncDir(DirOf(to));
}

}  // namespace

Status WriteWholeFile(const std::filesystem::path& path, std::string_view contents) {
  return WriteFd(path, contents, /*sync=*/false, 0666);
}

Status WriteAndSync(const std::filesystem::path& path, std::string_view data) {
  return WriteFd(path, data, /*sync=*/true, 0644);
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  Status status = WriteFd(tmp, data, /*sync=*/true, 0666);
  if (status.ok()) status = RenameOver(tmp, path);
  if (!status.ok()) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
  }
  return status;
}

Status CommitFile(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  {
    Fd fd(open(tmp.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Errno("cannot open", tmp);
    if (fsync(fd.get()) != 0) return Errno("cannot fsync", tmp);
  }
  return RenameOver(tmp, path);
}

Status SyncDir(const std::filesystem::path& dir) {
  Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("cannot open folder", dir);
  if (fsync(fd.get()) != 0) return Errno("cannot fsync folder", dir);
  return Status::Ok();
}

Status RenameNoReplace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) return Status::AlreadyExists(to.string() + " already exists");
    if (errno != EINVAL && errno != ENOSYS)
      return Errno("cannot rename " + from.string() + " to", to);
    if (link(from.c_str(), to.c_str()) != 0) {
      if (errno == EEXIST) return Status::AlreadyExists(to.string() + " already exists");
      return Errno("cannot link " + from.string() + " to", to);
    }
    if (unlink(from.c_str()) != 0) return Errno("cannot unlink", from);
  }
  BOTIFY_RETURN_IF_ERROR(SyncDir(DirOf(to)));
  if (DirOf(from) != DirOf(to)) BOTIFY_RETURN_IF_ERROR(SyncDir(DirOf(from)));
  return Status::Ok();
}

namespace {

// The copy half of a cross-file-system move.
Status CopyDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::string data;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(from, &data));
  const std::filesystem::path tmp = to.parent_path() / ("." + to.filename().string() + ".tmp");
  BOTIFY_RETURN_IF_ERROR(WriteAndSync(tmp, data));
  return RenameNoReplace(tmp, to);
}

}  // namespace

Status MoveIntoDir(const std::filesystem::path& from, const std::filesystem::path& to_dir) {
  const std::filesystem::path to = to_dir / from.filename();
  Status moved = Status::Ok();
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    BOTIFY_RETURN_IF_ERROR(SyncDir(to_dir));
    return SyncDir(DirOf(from));
  }
  if (errno == EXDEV) {
    moved = CopyDurably(from, to);
  } else if (errno == EEXIST) {
    moved = Status::AlreadyExists(to.string() + " already exists");
  } else if (errno == EINVAL || errno == ENOSYS) {
    moved = RenameNoReplace(from, to);
  } else {
    return Errno("cannot move " + from.string() + " to", to);
  }
  if (moved.code() == StatusCode::kAlreadyExists) {
    std::error_code a, b;
    if (std::filesystem::file_size(from, a) != std::filesystem::file_size(to, b) || a || b) {
      return moved.WithContext("archiving " + from.string() + " (a different file is there)");
    }
  } else if (!moved.ok() || !std::filesystem::exists(from)) {
    return moved;
  }
  return RemoveDurably(from);
}

Status RemoveDurably(const std::filesystem::path& path) {
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path);
  return SyncDir(DirOf(path));
}

}  // namespace botify
