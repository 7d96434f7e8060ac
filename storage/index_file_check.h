// Checks that an index generation is exactly what BuildIndexSst writes before it serves
// (issue 20): an SST handed to the admin endpoint is checked before RocksDB ingests it, and
// a generation already in the store is checked at start-up. RocksDB itself verifies block
// checksums only of the blocks a read touches, and a damaged block has been seen to trip
// an assertion inside its iterator, so everything is read once here, up front, with every
// status checked.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"
#include "storage/index_meta.h"

namespace rocksdb {
class Iterator;
}

namespace botify::storage {

// Reads every entry `it` yields (it is sought to the first) and checks that:
//   - the first key is the empty key and its value parses as IndexMeta JSON;
//   - every other key is a 4-byte big-endian id (so in ascending order), a track of the
//     catalog if the index is keyed by track, or a session model chunk (after every id);
//   - every value decodes to a non-empty track list of ids below `catalog_size`;
//   - the lists and the tracks counted equal the metadata's `lists` and `tracks`;
//   - the chunks, in order, make the metadata's `session_model_bytes` of a valid session
//     model of `catalog_size` tracks (engine/serving/session_model_file.h), if any;
//   - the iterator ends with an OK status (a read error is never taken for the end).
// Returns the metadata, or Corruption whose message starts with `where` and names the
// first problem and the key it was found at. `it` is not owned.
Result<IndexMeta> CheckIndexEntries(rocksdb::Iterator* it, std::size_t catalog_size,
                                    const std::string& where);

// Verifies the checksum of every block of one SST file (data, index, filter, properties).
// Only reads the file; opens no database. Corruption or InvalidArgument naming `path`.
Status VerifySstChecksums(const std::string& path);

// Checks an index file from `botify index build` without opening any database:
// VerifySstChecksums, then CheckIndexEntries over the whole file. Cost: two sequential
// reads of the file (indexes are a few MiB). InvalidArgument naming `path` and what is
// wrong: a damaged block (checksum mismatch), a truncated file, a file that is not an SST
// or not an index built by botify, a value that does not decode, a track outside the
// catalog, or counts that disagree with the file's own metadata.
Result<IndexMeta> CheckIndexFile(const std::string& path, std::size_t catalog_size);

}  // namespace botify::storage
