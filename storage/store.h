// The embedded database of one botify host (docs/contracts.md §6): a RocksDB with
//   column family "default"        the manifest: "catalog/size", "index/<name>" -> IndexMeta
//                                  JSON of the serving generation of each index
//   column family "catalog"        4-byte BE track id -> artist/title record
//   column family "idx.<name>.<g>" generation g of index <name>: 4-byte BE key -> packed
//                                  track list, plus its own metadata under the empty key
//                                  and, after the lists, a session model's chunks
// A generation becomes current by one synced write of its manifest record, after its SST
// was fully ingested; so after a crash at any moment the manifest names a complete
// generation (or none), and Open() drops every column family it does not name.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "engine/serving/track_list_index.h"
#include "storage/index_meta.h"

namespace rocksdb {
class Cache;
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace botify::storage {

struct StoreOptions {
  // Directory of the RocksDB database; created if missing.
  std::string path;
  // Block cache shared by all column families, bytes. Indexes are read on every /next:
  // 10k users x 100 tracks is ~4 MiB, so the default keeps typical indexes in memory.
  std::size_t block_cache_bytes = 256u << 20;
  // Cache of whole rows (user or track -> list) in front of the block cache, bytes; 0
  // turns it off. 64 MiB holds ~160k lists of 100 tracks.
  std::size_t row_cache_bytes = 64u << 20;
  // fsync the manifest write that switches generations (durability across power loss).
  bool sync_manifest = true;
  // Free bytes an ingest must leave on the database's file system, beyond RocksDB's copy
  // of the file (none when the file is on the same file system: it is hard-linked). Covers
  // the writes RocksDB makes around an ingest (its OPTIONS file, MANIFEST, WAL, LOG: tens of
  // KiB) with a wide margin; a load that does not fit is refused before RocksDB starts,
  // because a write failing for space inside an ingest has aborted the process.
  std::uint64_t ingest_headroom_bytes = 16ull << 20;
  // RocksDB's diagnostic log, <path>/LOG (storage/rocksdb_info_log.h), rotates to LOG.old
  // past this size: at most twice this on disk.
  std::uint64_t info_log_max_bytes = 8ull << 20;

  Status Validate() const;
};

// How one IngestIndex call treats its file.
struct IngestOptions {
  // Accept an index with its metadata and no lists. Off by default: such a file replaces a
  // good generation with one that has a list for nobody, so every user of its arms gets
  // the fallback recommender (`botify index build` never writes one from a real file; an
  // empty index is almost always a broken training run).
  bool allow_empty = false;
};

// Thread-safe. Index generations handed out by OpenIndex() must be released before the
// Store is destroyed.
class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Replaces the stored catalog (one atomic batch).
  Status PutCatalog(const catalog::Catalog& catalog);
  // NotFound if no catalog was ever stored.
  Result<catalog::Catalog> LoadCatalog() const;

  // Ingests `sst_path` (made by BuildIndexSst) as the next generation of `name` and makes
  // it current. The whole file is checked first (CheckIndexFile: checksums, keys, values,
  // track ids below catalog.size(), counts); a bad file is refused with InvalidArgument
  // naming the file and the problem; so is a file with no lists unless
  // `options.allow_empty`. kResourceExhausted, naming the free and the needed bytes, if the
  // database's file system lacks room for it (CheckRoomToIngest). The file is moved into
  // the database on success. On failure the previous generation stays current and nothing
  // of the new one remains.
  Result<IndexMeta> IngestIndex(const std::string& name, const std::string& sst_path,
                                const catalog::Catalog& catalog, const IngestOptions& options = {});

  // Reads the whole current generation of `name` as it sits in the database (block
  // checksums of each of its SST files, then every entry as CheckIndexEntries does), for
  // start-up: a generation damaged on disk is found before it serves. Corruption naming the
  // index, the file and the problem; NotFound if `name` has no generation. Cost: one read
  // of the generation's files.
  Status VerifyIndex(const std::string& name, const catalog::Catalog& catalog) const;

  // The current generation of `name`; NotFound if it has none. A generation that carries
  // a session model reads it, and its lists as the model's candidates, into memory here
  // (Corruption if they do not decode).
  Result<std::shared_ptr<const serving::TrackListIndex>> OpenIndex(const std::string& name);

  // Reads that failed on generations of `name` since Open (a Get that returned an error
  // other than NotFound, or a value that did not decode); such a read answers "no list".
  std::uint64_t IndexReadErrors(const std::string& name) const;

  // Manifest records of every index, by name. Corruption if a record does not parse,
  // or the read error.
  Result<std::vector<IndexMeta>> ListIndexes() const;

  // Drops column families of generations that are no longer current and that no open
  // generation object reads. Called by the admin path after a reload; cheap otherwise.
  void CollectGarbage() EXCLUDES(mu_);

  // Bytes of live SST files, for bounded-growth checks and metrics.
  std::uint64_t LiveSstBytes() const;
  // Bytes held in the shared block cache (at most StoreOptions::block_cache_bytes).
  std::uint64_t BlockCacheBytes() const;
  const std::string& path() const { return options_.path; }

 private:
  class Generation;

  explicit Store(StoreOptions options) : options_(std::move(options)) {}
  Status OpenDb();
  // kResourceExhausted unless the database's file system has room for RocksDB's copy of
  // `sst_path` (none if it can be hard-linked) plus ingest_headroom_bytes.
  Status CheckRoomToIngest(const std::string& sst_path) const;
  Status DropOrphans();
  Result<std::uint64_t> CatalogSize() const;
  Result<IndexMeta> CurrentMeta(const std::string& name) const;
  rocksdb::ColumnFamilyHandle* FindHandle(const std::string& cf_name) const REQUIRES(mu_);
  // The session model of the generation in `handle` (null if `meta` names none), with
  // the generation's lists as its candidates.
  Result<std::shared_ptr<const serving::SessionModel>> ReadSessionModel(
      rocksdb::ColumnFamilyHandle* handle, const IndexMeta& meta) const;
  void Retire(rocksdb::ColumnFamilyHandle* handle) EXCLUDES(mu_);

  StoreOptions options_;
  // One block cache for every column family, generations created later included.
  std::shared_ptr<rocksdb::Cache> block_cache_;
  rocksdb::DB* db_ = nullptr;
  rocksdb::ColumnFamilyHandle* catalog_cf_ = nullptr;

  // Serializes IngestIndex calls; taken before mu_, never while holding it.
  Mutex ingest_mu_ ACQUIRED_BEFORE(mu_);
  mutable Mutex mu_;
  std::vector<rocksdb::ColumnFamilyHandle*> index_handles_ GUARDED_BY(mu_);
  // Live Generation objects per handle; a handle is dropped only at zero.
  std::map<rocksdb::ColumnFamilyHandle*, int> open_count_ GUARDED_BY(mu_);
  // Per index name; entries are never erased, so a Generation keeps a pointer to its
  // counter and bumps it (relaxed) without the mutex.
  std::map<std::string, std::atomic<std::uint64_t>> read_errors_ GUARDED_BY(mu_);
};

}  // namespace botify::storage
