// The destination of shipped segments, behind one small interface so that the shipper's
// crash-safe protocol (upload under a temporary name, verify the length, rename into
// place) is written once for a local folder and for HDFS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::tools {

// Paths are relative to the target's root folder, '/'-separated, without a leading '/'
// ("2024-02-19/edge1/events-....jsonl"). Implementations are thread-compatible.
class ShipTarget {
 public:
  virtual ~ShipTarget() = default;

  // The length in bytes of the regular file at `path`, or nullopt if nothing is there.
  // A directory at `path` is an error.
  virtual Result<std::optional<std::uint64_t>> FileLength(const std::string& path) = 0;

  // Creates the folder and its parents; succeeds if it already exists.
  virtual Status MakeDirs(const std::string& dir) = 0;

  // Writes `data` as the whole content of `path`, replacing a file already there. Not
  // atomic: a crash may leave a partial file, so callers write to a temporary name.
  virtual Status Write(const std::string& path, std::string_view data) = 0;

  // Renames `from` to `to`. Never replaces: fails with kAlreadyExists if `to` exists.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;

  // Removes the file at `path`; succeeds if nothing is there.
  virtual Status Delete(const std::string& path) = 0;

  // The full address of `path` for messages ("webhdfs://nn:9870/logs/2024-02-19/...").
  virtual std::string Describe(const std::string& path) const = 0;
};

}  // namespace botify::tools
