// The one writer of the recommendations file (docs/contracts.md §6, exactly): every trainer
// and the CLI write their lists through it, line by line, and it replaces the file atomically
// and durably once complete, so the index builder never reads a half-written file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/ids.h"
#include "base/status.h"
#include "engine/catalog/recommendations_file.h"

namespace botify::catalog {

// Writes "<path>.tmp" with AppendRecommendationsLine's lines, buffered and written in
// chunks of about kFlushBytes; Commit() fsyncs it, renames it over `path` and fsyncs the
// folder (base/file.h CommitFile). Until Commit() succeeds `path` is untouched; a writer
// destroyed without a successful Commit(), or after any error, removes its temporary file.
// Errors are kIoError naming the file and the system's reason. After an error every call
// returns that error. Thread-compatible. Movable, not copyable (owns the file).
class RecommendationsFileWriter {
 public:
  // Bytes buffered before they are written: bounds memory whatever the file's size.
  static constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

  // Creates (truncates) "<path>.tmp".
  static Result<RecommendationsFileWriter> Open(const std::string& path);

  RecommendationsFileWriter(RecommendationsFileWriter&& other) noexcept;
  RecommendationsFileWriter& operator=(RecommendationsFileWriter&& other) noexcept;
  RecommendationsFileWriter(const RecommendationsFileWriter&) = delete;
  RecommendationsFileWriter& operator=(const RecommendationsFileWriter&) = delete;
  ~RecommendationsFileWriter();

  // Appends one line: {"user": id, "tracks": [...]} or {"track": id, "recommendations":
  // [...]}. Writes the buffer out once it holds kFlushBytes.
  Status Add(ListKey key, std::uint32_t id, std::span<const TrackId> tracks);

  // Lines added so far.
  std::size_t lines() const { return lines_; }

  // Writes what is buffered, closes and fsyncs the temporary file and renames it over
  // `path` (fsyncing the folder). Call once; on failure `path` is unchanged and the
  // temporary file is removed.
  Status Commit();

 private:
  RecommendationsFileWriter(std::string path, int fd);
  Status Flush();
  // Records `status` as the writer's error, closes and removes the temporary file.
  Status Fail(Status status);
  // If the file is still open: closes it and removes the temporary file.
  void Abandon();
  void RemoveTmp() const;
  // The error of a call after Commit() or a failure.
  Status Closed() const;

  std::string path_;
  std::string tmp_;
  int fd_ = -1;  // -1 once committed, failed or moved from
  std::string buffer_;
  std::size_t lines_ = 0;
  Status status_;
};

}  // namespace botify::catalog
