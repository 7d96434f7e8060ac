// The table format of every column family (manifest, catalog, index generations), in one
// place because index SSTs are written outside the database (BuildIndexSst) and ingested
// as they are: features baked into a file at build time, the filter and the data-block
// hash index, must be the ones the reader is configured for.
#pragma once

#include <memory>

#include <rocksdb/options.h>

namespace rocksdb {
class Cache;
}

namespace botify::storage {

// Options for a column family reading through `block_cache` (shared by all families of a
// store so that one budget bounds memory).
rocksdb::ColumnFamilyOptions ColumnFamilyOptionsWithCache(
    std::shared_ptr<rocksdb::Cache> block_cache);

// Options for rocksdb::SstFileWriter when building an index generation.
rocksdb::Options IndexSstWriterOptions();

}  // namespace botify::storage
