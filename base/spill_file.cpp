#include "base/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace botify {

Result<std::unique_ptr<SpillFile>> SpillFile::Create(const std::filesystem::path& dir) {
  // O_TMPFILE makes the file nameless from the start; file systems without it get a
  // mkstemp name that is unlinked before anything is written.
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
    std::string name = (dir / "botify-spill-XXXXXX").string();
    fd = mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) unlink(name.c_str());
  }
  if (fd < 0) {
    return Status::IoError("cannot create a spill file in " + dir.string() + ": " +
                           std::strerror(errno));
  }
  return std::unique_ptr<SpillFile>(new SpillFile(fd, dir));
}

SpillFile::~SpillFile() { close(fd_); }

Status SpillFile::Error(const char* what) const {
  return Status::IoError(std::string(what) + " a spill file in " + dir_.string() + ": " +
                         std::strerror(errno));
}

Status SpillFile::Append(const void* data, std::size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = write(fd_, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error("cannot write");
    p += n;
    bytes -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status SpillFile::Rewind() {
  if (lseek(fd_, 0, SEEK_SET) != 0) return Error("cannot rewind");
  return Status::Ok();
}

Status SpillFile::Read(void* data, std::size_t bytes, std::size_t* read_bytes) {
  char* p = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = read(fd_, p + done, bytes - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error("cannot read");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  *read_bytes = done;
  return Status::Ok();
}

}  // namespace botify
