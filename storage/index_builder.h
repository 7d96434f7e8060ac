// Builds an ingestible RocksDB SST file from a recommendations file (docs/contracts.md §6),
// and optionally a session model to serve with the lists, offline, without opening any
// database. Validation follows an explicit policy and every problem is
// reported with file:line and reason; a rejected file produces no SST at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "storage/index_file_check.h"
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

  // Key-range parts (BuildIndexParts, storage/index_parts.h). The lists are split into
  // `key_ranges` ranges of consecutive keys holding about as many distinct keys each (cut
  // at quantiles of every key of the inputs, so any process given the same inputs cuts
  // them alike). Memory is one range's lists; the inputs are read once for the keys and
  // once per range built (lines of other ranges only peeked at, not parsed). In [1, 4096].
  std::uint32_t key_ranges = 1;
  // Build only this range (0-based, < key_ranges), e.g. one task of a cluster per range;
  // default every range. Key-range parts carry no session model: Validate refuses
  // session_model_path with key_ranges > 1.
  std::optional<std::uint32_t> only_range;

  Status Validate() const;
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
// The same from several files (e.g. the parts of a sharded trainer), read as if they were
// one file in the order given (a key in two files is a duplicate, the earlier file's line
// "first"). The metadata's source names them all; its source_crc32 is the CRC-32 of their
// CRC-32s (of the file itself for one file).
Status BuildIndexSst(const std::vector<std::string>& recs_paths, const catalog::Catalog& catalog,
                     const std::string& sst_path, const IndexBuildOptions& options,
                     IndexBuildReport* report);

// "<prefix>.<part>-of-<parts>.sst" (a ".sst" ending of `prefix` dropped).
std::string IndexPartPath(const std::string& prefix, std::uint32_t part, std::uint32_t parts);

// The key ranges of a build into `parts` parts (IndexBuildOptions::key_ranges): part 0 from
// key 0, the last to 2^32 - 1, cut at quantiles of the distinct keys of `recs_paths`.
// InvalidArgument if there are fewer distinct keys than parts.
Result<std::vector<KeyRange>> PlanKeyRanges(const std::vector<std::string>& recs_paths,
                                            std::uint32_t parts);

// Builds options.key_ranges key-range part files (storage/index_parts.h) at
// IndexPartPath(out_prefix, i, key_ranges), every range or options.only_range, with the
// validation of BuildIndexSst over the lines of each range (lines whose key cannot be read
// are part 0's). One report per part built. On rejection the parts this call wrote are
// removed and the status names the part and the first problem.
Status BuildIndexParts(const std::vector<std::string>& recs_paths, const catalog::Catalog& catalog,
                       const std::string& out_prefix, const IndexBuildOptions& options,
                       std::vector<IndexBuildReport>* reports);

// An SST holding only the metadata record `meta` (the store's record for a set of parts).
Status WriteIndexMetaSst(const IndexMeta& meta, const std::string& sst_path);

// Hex CRC-32 (zlib) of a file's bytes.
Result<std::string> FileCrc32(const std::string& path);

}  // namespace botify::storage
