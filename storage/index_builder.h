// Builds an ingestible RocksDB SST file from a recommendations file (docs/contracts.md §6),
// and optionally a session model to serve with the lists, offline, without opening any
// database. Validation follows an explicit policy and every problem is
// reported with file:line and reason; a rejected file produces no SST at all.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "storage/index_meta.h"

namespace botify::storage {

struct IndexBuildOptions {
  enum class OnError {
    kReject,    // any bad line rejects the whole file (default: never half-apply)
    kSkipLine,  // bad lines are skipped and reported; the rest is built
  };
  enum class Duplicates {
    kReject,     // a key listed twice is a bad line
    kFirstWins,  // keep the first line for the key, report the later ones
    kLastWins,   // keep the last line for the key, report the earlier ones
  };
  OnError on_error = OnError::kReject;
  Duplicates duplicates = Duplicates::kReject;
  // A session model file (engine/serving/session_model_file.h) to carry beside the lists,
  // or empty. It must be a valid model of exactly the catalog's tracks, and the lists
  // must be keyed by track (they are its candidates); otherwise nothing is built.
  std::string session_model_path;
  // Problems listed individually in the report; the rest are only counted.
  std::size_t max_reported = 20;
  // Called now and then with the number of lines read, for progress bars.
  std::function<void(std::size_t lines)> progress;
};

struct IndexBuildReport {
  IndexMeta meta;
  std::size_t lines = 0;              // non-blank lines read
  std::size_t skipped_lines = 0;      // bad lines skipped (kSkipLine) or superseded duplicates
  std::size_t repeated_tracks = 0;    // repeats inside one list, dropped (first kept)
  std::vector<std::string> problems;  // "file:line: reason", at most max_reported
  std::size_t problem_count = 0;
  std::size_t min_list = 0, median_list = 0, max_list = 0;

  // Multi-line human summary.
  std::string Summary() const;
};

// Reads `recs_path`, validates every line against `catalog`, and writes `sst_path`
// (replacing it). On rejection no file is left at `sst_path`, and the returned status
// names the first problem; `report` (if not null) is filled either way.
Status BuildIndexSst(const std::string& recs_path, const catalog::Catalog& catalog,
                     const std::string& sst_path, const IndexBuildOptions& options,
                     IndexBuildReport* report);

// Hex CRC-32 (zlib) of a file's bytes.
Result<std::string> FileCrc32(const std::string& path);

}  // namespace botify::storage
