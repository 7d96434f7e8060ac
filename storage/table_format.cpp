#include "storage/table_format.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

namespace botify::storage {

namespace {

// Point lookups only (every /next reads one key), so:
// - a Bloom filter makes a user without a list cost one in-memory probe, no block search;
// - the data-block hash index finds a key in its block without a binary search;
// - index and filter blocks are held by the table reader (not charged to the block
//   cache): a 10k-list index has ~20 KB of them, and each Get then does one cache lookup
//   (the data block) instead of three, each of which takes a cache-shard mutex.
rocksdb::BlockBasedTableOptions TableOptions(std::shared_ptr<rocksdb::Cache> block_cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = std::move(block_cache);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  table.cache_index_and_filter_blocks = false;
  return table;
}

}  // namespace

rocksdb::ColumnFamilyOptions ColumnFamilyOptionsWithCache(
    std::shared_ptr<rocksdb::Cache> block_cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(TableOptions(std::move(block_cache))));
  return cf;
}

rocksdb::Options IndexSstWriterOptions() {
  rocksdb::Options options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(TableOptions(nullptr)));
  return options;
}

}  // namespace botify::storage
