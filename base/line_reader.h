// Streams the lines of a text file, plain or gzip-compressed (detected from the content),
// counting line numbers for error messages. Memory is bounded by the longest line.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify {

// Thread-compatible. Owns the open file; not copyable.
class LineReader {
 public:
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Sets *line to the next line without its '\n' (and '\r'); valid until the next call.
  // Returns false at end of file; check status() for a read error.
  bool Next(std::string_view* line);

  const Status& status() const { return status_; }
  // True once the end was reached and the file is a gzip stream cut short (a segment
  // copied while being written, a partial download). The lines before the cut were
  // returned; the partial line at the cut was not.
  bool truncated() const { return truncated_; }
  // 1-based number of the line last returned by Next().
  std::size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }
  // "path:line" of the line last returned, for error messages.
  std::string Where() const;

 private:
  LineReader(std::string path, void* gz) : path_(std::move(path)), gz_(gz) {}
  bool Refill();

  std::string path_;
  void* gz_;  // gzFile; opaque here to keep zlib.h out of the header
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool truncated_ = false;
  std::string line_;
  std::size_t line_number_ = 0;
  Status status_;
};

}  // namespace botify
