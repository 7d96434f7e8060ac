// An index built as K key-range SST files ("parts"; docs/scale.md "Sharded offline steps"),
// loaded together as one generation: RocksDB ingests non-overlapping files in one call.
//
// Part i of K holds the lists whose keys lie in [first_key, last_key], the ranges of parts
// 0..K-1 following each other without gap or overlap from 0 to 2^32 - 1, so the files
// never overlap. A part holds no metadata record under the empty key (every part would
// have one, and the files would overlap there); it describes itself in a table property
// instead, kIndexPartProperty, holding IndexPart JSON:
//
//   {<IndexMeta of this part: key, lists, tracks, source, source_crc32, built_at_ms,
//     parts = K>, "part": i, "first_key": .., "last_key": ..}
//
// source_crc32 identifies the set: the CRC-32 of the sources' CRC-32s and the key ranges,
// the same in every part of one build whichever process built it, so parts of two builds
// are never mixed. The store checks the whole set (CheckIndexParts), writes the set's
// metadata record (its lists and tracks the sums, `parts` K) in a small SST of its own, and
// ingests it with the parts: the generation then reads exactly like one built from a
// single file.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/index_meta.h"

namespace rocksdb {
class TablePropertiesCollectorFactory;
}

namespace botify::storage {

inline constexpr char kIndexPartProperty[] = "botify.index.part";

struct IndexPart {
  IndexMeta meta;  // this part's lists and tracks; meta.parts = K
  std::uint32_t part = 0;
  std::uint32_t first_key = 0;
  std::uint32_t last_key = std::numeric_limits<std::uint32_t>::max();

  std::string ToJson() const;
  // Corruption naming the field when the JSON is not an IndexPart or its range is empty.
  static Result<IndexPart> FromJson(std::string_view text);
};

// Writes kIndexPartProperty into the table an SstFileWriter finishes; the value is set
// (SetValue) after the last Put, before Finish. Thread-compatible; one per writer.
class IndexPartPropertyWriter {
 public:
  IndexPartPropertyWriter();
  // For rocksdb::Options::table_properties_collector_factories.
  std::shared_ptr<rocksdb::TablePropertiesCollectorFactory> factory() const { return factory_; }
  void SetValue(std::string json);

 private:
  std::shared_ptr<std::string> value_;
  std::shared_ptr<rocksdb::TablePropertiesCollectorFactory> factory_;
};

// The IndexPart of one part file; InvalidArgument naming `path` if it is not an SST or has
// no (or a malformed) part property.
Result<IndexPart> ReadIndexPart(const std::string& path);

// Checks a set of part files before ingestion: each file whole (block checksums; every
// entry a 4-byte key inside its part's range, ascending, a non-empty list of catalog
// tracks; the counts its property states), and the set: one build (the same set id, key
// kind and K), parts 0..K-1 each exactly once, ranges that meet. Returns the set's
// metadata (sums of lists and tracks, parts K). InvalidArgument naming the file and the
// problem (a part missing names the parts given).
Result<IndexMeta> CheckIndexParts(const std::vector<std::string>& paths, std::size_t catalog_size);

}  // namespace botify::storage
