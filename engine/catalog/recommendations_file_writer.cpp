#include "engine/catalog/recommendations_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "base/file.h"

namespace botify::catalog {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<RecommendationsFileWriter> RecommendationsFileWriter::Open(const std::string& path) {
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Errno("cannot create", tmp);
  return RecommendationsFileWriter(path, fd);
}

RecommendationsFileWriter::RecommendationsFileWriter(std::string path, int fd)
    : path_(std::move(path)), tmp_(path_ + ".tmp"), fd_(fd) {}

RecommendationsFileWriter::RecommendationsFileWriter(RecommendationsFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      tmp_(std::move(other.tmp_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      lines_(other.lines_),
      status_(std::move(other.status_)) {}

RecommendationsFileWriter& RecommendationsFileWriter::operator=(
    RecommendationsFileWriter&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::move(other.path_);
    tmp_ = std::move(other.tmp_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    lines_ = other.lines_;
    status_ = std::move(other.status_);
  }
  return *this;
}

RecommendationsFileWriter::~RecommendationsFileWriter() { Abandon(); }

void RecommendationsFileWriter::Abandon() {
  if (fd_ < 0) return;
  close(std::exchange(fd_, -1));
  RemoveTmp();
}

void RecommendationsFileWriter::RemoveTmp() const {
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);
}

Status RecommendationsFileWriter::Fail(Status status) {
  Abandon();
  status_ = std::move(status);
  return status_;
}

Status RecommendationsFileWriter::Closed() const {
  return status_.ok() ? Status::FailedPrecondition(path_ + " is already committed") : status_;
}

Status RecommendationsFileWriter::Add(ListKey key, std::uint32_t id,
                                      std::span<const TrackId> tracks) {
  if (fd_ < 0) return Closed();
  AppendRecommendationsLine(&buffer_, key, id, tracks);
  ++lines_;
  if (buffer_.size() >= kFlushBytes) return Flush();
  return Status::Ok();
}

Status RecommendationsFileWriter::Flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(Errno("cannot write", tmp_));
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return Status::Ok();
}

Status RecommendationsFileWriter::Commit() {
  if (fd_ < 0) return Closed();
  BOTIFY_RETURN_IF_ERROR(Flush());
  Status status =
      close(std::exchange(fd_, -1)) == 0 ? CommitFile(tmp_, path_) : Errno("cannot close", tmp_);
  if (!status.ok()) {
    RemoveTmp();
    status_ = status;
  }
  return status;
}

}  // namespace botify::catalog
