#include "base/line_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace botify {
namespace {
constexpr std::size_t kChunk = 1 << 16;
}

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) {
    return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  gzbuffer(gz, 1 << 17);
  return std::unique_ptr<LineReader>(new LineReader(path, gz));
}

LineReader::~LineReader() { gzclose(static_cast<gzFile>(gz_)); }

bool LineReader::Refill() {
  if (eof_) return false;
  buffer_.erase(0, pos_);
  pos_ = 0;
  const std::size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  const int n = gzread(static_cast<gzFile>(gz_), buffer_.data() + old, kChunk);
  if (n < 0) {
    int err = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &err);
    status_ = Status::IoError(path_ + ": read failed: " + msg);
    buffer_.resize(old);
    eof_ = true;
    return false;
  }
  buffer_.resize(old + static_cast<std::size_t>(n));
  if (n == 0) {
    eof_ = true;
    // zlib ends a stream cut short with Z_BUF_ERROR ("unexpected end of file") and no
    // read error; plain files (read transparently) never set it.
    int err = Z_OK;
    gzerror(static_cast<gzFile>(gz_), &err);
    truncated_ = err == Z_BUF_ERROR;
  }
  return n > 0;
}

bool LineReader::Next(std::string_view* line) {
  while (true) {
    const std::size_t nl = buffer_.find('\n', pos_);
    if (nl != std::string::npos) {
      std::size_t end = nl;
      if (end > pos_ && buffer_[end - 1] == '\r') --end;
      line_.assign(buffer_, pos_, end - pos_);
      pos_ = nl + 1;
      break;
    }
    if (!Refill()) {
      // A truncated stream's last bytes are a line cut at an arbitrary byte: not data.
      if (pos_ >= buffer_.size() || truncated_) return false;
      line_.assign(buffer_, pos_, std::string::npos);  // last line without '\n'
      pos_ = buffer_.size();
      break;
    }
  }
  ++line_number_;
  *line = line_;
  return true;
}

std::string LineReader::Where() const { return path_ + ":" + std::to_string(line_number_); }

}  // namespace botify
