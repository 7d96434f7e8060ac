#include "storage/store.h"

#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "base/disk_space.h"
#include "storage/codec.h"
#include "storage/index_file_check.h"
#include "storage/rocksdb_info_log.h"
#include "storage/session_model_chunks.h"
#include "storage/table_format.h"

namespace botify::storage {
namespace {

constexpr char kCatalogCf[] = "catalog";
constexpr char kIndexCfPrefix[] = "idx.";
constexpr char kCatalogSizeKey[] = "catalog/size";
constexpr char kIndexManifestPrefix[] = "index/";

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(what + ": " + s.ToString());
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(what + ": " + s.ToString());
  return Status::IoError(what + ": " + s.ToString());
}

std::string IndexCfName(const std::string& name, std::uint64_t generation) {
  return fmt::format("{}{}.{}", kIndexCfPrefix, name, generation);
}

// "; damaged table files: <file>: <problem>; ..." for every SST in `db_dir` that does not
// read whole (VerifySstChecksums: footer, index, properties and every block), or "".
std::string DamagedTables(const std::string& db_dir) {
  std::vector<std::string> tables;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(db_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".sst") tables.push_back(it->path().string());
  }
  std::sort(tables.begin(), tables.end());
  std::string damaged;
  for (const auto& table : tables) {
    if (Status s = VerifySstChecksums(table); !s.ok()) damaged += "; " + s.message();
  }
  return damaged.empty() ? "" : "; damaged table file(s)" + damaged;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One open generation of an index. Thread-safe; holds its column family open until the
// last reader releases it, then hands the handle back to the store (no I/O here: the
// destructor may run on a request thread).
class Store::Generation final : public serving::TrackListIndex {
 public:
  // `read_errors` is the store's counter for this index name; it outlives the generation.
  Generation(Store* store, rocksdb::ColumnFamilyHandle* handle, std::uint64_t generation,
             std::atomic<std::uint64_t>* read_errors,
             std::shared_ptr<const serving::SessionModel> model)
      : store_(store),
        handle_(handle),
        generation_(generation),
        read_errors_(read_errors),
        model_(std::move(model)) {}
  ~Generation() override { store_->Retire(handle_); }

  // A failed read (an error other than NotFound, or a value that does not decode) answers
  // "no list", so the request falls back, and is counted: the only cost on the hot path is
  // one relaxed increment, on error only.
  bool Get(std::uint32_t key, std::vector<TrackId>* out) const override {
    char k[4];
    EncodeIdKey(key, k);
    rocksdb::PinnableSlice value;
    auto s = store_->db_->Get(rocksdb::ReadOptions(), handle_, rocksdb::Slice(k, 4), &value);
    if (s.IsNotFound()) return false;
    if (s.ok() && DecodeTrackList(value.ToStringView(), out).ok()) return true;
    read_errors_->fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::uint64_t generation() const override { return generation_; }
  const serving::SessionModel* session_model() const override { return model_.get(); }

 private:
  Store* store_;
  rocksdb::ColumnFamilyHandle* handle_;
  std::uint64_t generation_;
  std::atomic<std::uint64_t>* read_errors_;
  std::shared_ptr<const serving::SessionModel> model_;  // null: the index has none
};

Status StoreOptions::Validate() const {
  if (path.empty()) return Status::InvalidArgument("store path is empty");
  if (info_log_max_bytes < 4096) {
    return Status::InvalidArgument("RocksDB info log size must be at least 4 KiB");
  }
  if (block_cache_bytes < (1u << 20)) {
    return Status::InvalidArgument("block cache must be at least 1 MiB");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<Store> store(new Store(options));
  BOTIFY_RETURN_IF_ERROR(store->OpenDb());
  BOTIFY_RETURN_IF_ERROR(store->DropOrphans());
  return store;
}

Status Store::OpenDb() {
  std::error_code ec;
  std::filesystem::create_directories(options_.path, ec);
  if (ec) return Status::IoError("cannot create " + options_.path + ": " + ec.message());
  block_cache_ = rocksdb::NewLRUCache(options_.block_cache_bytes);
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // RocksDB's own LOG asserts on a failed write (a full disk aborted the server inside an
  // ingest); this one drops the line instead, and is bounded (storage/rocksdb_info_log.h).
  InfoLogOptions log_options;
  log_options.path = (std::filesystem::path(options_.path) / "LOG").string();
  log_options.max_bytes = options_.info_log_max_bytes;
  db_options.info_log = std::make_shared<InfoLog>(log_options);
  // Every /next is a point lookup of a whole list: the row cache answers it from a copy
  // of the value, skipping the filter, index and data-block search (bench/index_get_bench:
  // ~1.1 us -> ~0.35 us a Get). Keyed by file and key, so a new generation never sees
  // rows of the old one.
  if (options_.row_cache_bytes > 0)
    db_options.row_cache = rocksdb::NewLRUCache(options_.row_cache_bytes);

  std::vector<std::string> names;
  auto listed = rocksdb::DB::ListColumnFamilies(db_options, options_.path, &names);
  if (!listed.ok()) names = {rocksdb::kDefaultColumnFamilyName};  // a new database
  if (std::find(names.begin(), names.end(), kCatalogCf) == names.end()) names.push_back(kCatalogCf);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names)
    descriptors.emplace_back(n, ColumnFamilyOptionsWithCache(block_cache_));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  const auto opened = rocksdb::DB::Open(db_options, options_.path, descriptors, &handles, &db_);
  if (opened.IsIOError() && opened.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable("database " + options_.path +
                               " is locked: another process (botify-server or botify) has it "
                               "open; " +
                               opened.ToString());
  }
  if (opened.IsCorruption()) {
    // RocksDB names the MANIFEST that lists a table whose footer or index it could not
    // read; the operator needs the table itself.
    return Status::Corruption("cannot open database " + options_.path + ": " + opened.ToString() +
                              DamagedTables(options_.path));
  }
  BOTIFY_RETURN_IF_ERROR(FromRocks(opened, "cannot open database " + options_.path));
  MutexLock lock(mu_);  // uncontended: nothing else has the store yet
  for (auto* h : handles) {
    if (h->GetName() == kCatalogCf) {
      catalog_cf_ = h;
    } else if (h->GetName().rfind(kIndexCfPrefix, 0) == 0) {
      index_handles_.push_back(h);
    } else if (h->GetName() != rocksdb::kDefaultColumnFamilyName) {
      db_->DestroyColumnFamilyHandle(h);  // unknown family: leave its data, do not serve it
    } else {
      db_->DestroyColumnFamilyHandle(h);  // the default family is reached via DefaultColumnFamily()
    }
  }
  return Status::Ok();
}

Status Store::DropOrphans() {
  auto listed = ListIndexes();
  if (!listed.ok()) return listed.status();  // never drop data on a manifest we cannot read
  std::set<std::string> current;
  for (const auto& meta : *listed) current.insert(IndexCfName(meta.name, meta.generation));
  MutexLock lock(mu_);
  for (auto it = index_handles_.begin(); it != index_handles_.end();) {
    if (current.count((*it)->GetName())) {
      ++it;
      continue;
    }
    // A generation from a load that crashed before its manifest write, or one replaced
    // before a crash: never current again, so its data goes.
    BOTIFY_RETURN_IF_ERROR(FromRocks(db_->DropColumnFamily(*it), "dropping " + (*it)->GetName()));
    db_->DestroyColumnFamilyHandle(*it);
    it = index_handles_.erase(it);
  }
  return Status::Ok();
}

Store::~Store() {
  if (db_ == nullptr) return;  // Open failed: there is nothing to close
  CollectGarbage();
  MutexLock lock(mu_);
  for (auto* h : index_handles_) db_->DestroyColumnFamilyHandle(h);
  if (catalog_cf_ != nullptr) db_->DestroyColumnFamilyHandle(catalog_cf_);
  db_->Close();
  delete db_;
}

Status Store::PutCatalog(const catalog::Catalog& catalog) {
  rocksdb::WriteBatch batch;
  batch.DeleteRange(catalog_cf_, "", std::string(5, '\xff'));
  for (TrackId t = 0; t < catalog.size(); ++t) {
    batch.Put(catalog_cf_, EncodeIdKey(t),
              EncodeTrackRecord(catalog.artist_name(t), catalog.title(t)));
  }
  batch.Put(kCatalogSizeKey, std::to_string(catalog.size()));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &batch), "writing the catalog");
}

Result<std::uint64_t> Store::CatalogSize() const {
  std::string text;
  auto s = db_->Get(rocksdb::ReadOptions(), kCatalogSizeKey, &text);
  if (s.IsNotFound()) return Status::NotFound("no catalog stored in " + options_.path);
  BOTIFY_RETURN_IF_ERROR(FromRocks(s, "reading the catalog size"));
  std::uint64_t size = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, size);
  if (text.empty() || ec != std::errc() || stop != end) {
    return Status::Corruption(fmt::format("{}: manifest record '{}' is '{}', not a track count",
                                          options_.path, kCatalogSizeKey, text));
  }
  return size;
}

Result<catalog::Catalog> Store::LoadCatalog() const {
  auto size = CatalogSize();
  if (!size.ok()) return size.status();
  std::vector<catalog::TrackRecord> records;
  records.reserve(std::min<std::uint64_t>(*size, 1u << 20));  // a damaged count cannot OOM
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), catalog_cf_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto id = DecodeIdKey(it->key().ToStringView());
    if (!id.ok()) return id.status();
    catalog::TrackRecord r;
    r.track = *id;
    BOTIFY_RETURN_IF_ERROR(DecodeTrackRecord(it->value().ToStringView(), &r.artist, &r.title));
    records.push_back(std::move(r));
  }
  BOTIFY_RETURN_IF_ERROR(FromRocks(it->status(), "reading the catalog"));
  if (records.size() != *size) {
    return Status::Corruption(
        fmt::format("catalog has {} records, manifest says {}", records.size(), *size));
  }
  return catalog::Catalog::FromRecords(std::move(records));
}

Result<std::vector<IndexMeta>> Store::ListIndexes() const {
  std::vector<IndexMeta> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kIndexManifestPrefix); it->Valid() && it->key().starts_with(kIndexManifestPrefix);
       it->Next()) {
    auto meta = IndexMeta::FromJson(it->value().ToStringView());
    if (!meta.ok()) {
      return meta.status().WithContext(
          fmt::format("{}: manifest record '{}'", options_.path, it->key().ToString()));
    }
    out.push_back(std::move(*meta));
  }
  BOTIFY_RETURN_IF_ERROR(FromRocks(it->status(), "reading the manifest of " + options_.path));
  return out;
}

Result<IndexMeta> Store::CurrentMeta(const std::string& name) const {
  auto listed = ListIndexes();
  if (!listed.ok()) return listed.status();
  for (auto& meta : *listed) {
    if (meta.name == name) return std::move(meta);
  }
  return Status::NotFound("no index named '" + name + "'");
}

rocksdb::ColumnFamilyHandle* Store::FindHandle(const std::string& cf_name) const {
  for (auto* h : index_handles_) {
    if (h->GetName() == cf_name) return h;
  }
  return nullptr;
}

Result<IndexMeta> Store::IngestIndex(const std::string& name, const std::string& sst_path,
                                     const catalog::Catalog& catalog,
                                     const IngestOptions& options) {
  // Before RocksDB sees it: a damaged file has tripped an assertion inside ingestion.
  auto checked = CheckIndexFile(sst_path, catalog.size());
  if (!checked.ok()) return checked.status();
  if (checked->lists == 0 && !options.allow_empty) {
    return Status::InvalidArgument(
        sst_path +
        ": holds no lists (an empty index): every user of its arms would get the fallback "
        "recommender; load it anyway with --allow-empty (admin: ?allow_empty=true)");
  }
  BOTIFY_RETURN_IF_ERROR(CheckRoomToIngest(sst_path));
  MutexLock ingest_lock(ingest_mu_);
  auto current = CurrentMeta(name);
  if (!current.ok() && current.status().code() != StatusCode::kNotFound) return current.status();
  const std::uint64_t generation = current.ok() ? current->generation + 1 : 1;
  const std::string cf_name = IndexCfName(name, generation);
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  {
    MutexLock lock(mu_);
    if (FindHandle(cf_name) != nullptr) {
      return Status::Internal("column family " + cf_name + " already exists");
    }
  }
  BOTIFY_RETURN_IF_ERROR(FromRocks(
      db_->CreateColumnFamily(ColumnFamilyOptionsWithCache(block_cache_), cf_name, &handle),
      "creating " + cf_name));
  auto abandon = [&](Status status) {
    db_->DropColumnFamily(handle);
    db_->DestroyColumnFamilyHandle(handle);
    return status;
  };
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = true;
  ingest.verify_checksums_before_ingest = true;  // the file could change after the check
  auto s = db_->IngestExternalFile(handle, {sst_path}, ingest);
  if (s.IsCorruption() || s.IsInvalidArgument() || s.IsNotSupported()) {
    return abandon(
        Status::InvalidArgument(sst_path + " is not a valid index file: " + s.ToString()));
  }
  if (!s.ok()) return abandon(FromRocks(s, "ingesting " + sst_path));
  IndexMeta meta = std::move(*checked);
  meta.name = name;
  meta.generation = generation;
  meta.loaded_at_ms = NowMs();
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_manifest;
  s = db_->Put(wo, kIndexManifestPrefix + name, meta.ToJson());
  if (!s.ok())
    return abandon(
        FromRocks(s, "switching " + name + " to generation " + std::to_string(generation)));
  MutexLock lock(mu_);
  index_handles_.push_back(handle);
  return meta;
}

Status Store::CheckRoomToIngest(const std::string& sst_path) const {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(sst_path, ec);
  if (ec) return Status::IoError("cannot read the size of " + sst_path + ": " + ec.message());
  auto linked = OnSameFileSystem(sst_path, options_.path);
  if (!linked.ok()) return linked.status();
  const std::uint64_t copy = *linked ? 0 : size;
  return RequireFreeDiskBytes(
      options_.path, copy + options_.ingest_headroom_bytes,
      fmt::format("ingest {} ({} bytes for RocksDB's copy of it, {} bytes of headroom)", sst_path,
                  copy, options_.ingest_headroom_bytes));
}

Status Store::VerifyIndex(const std::string& name, const catalog::Catalog& catalog) const {
  auto meta = CurrentMeta(name);
  if (!meta.ok()) return meta.status();
  const std::string where = fmt::format("index {} generation {}", name, meta->generation);
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  {
    MutexLock lock(mu_);
    handle = FindHandle(IndexCfName(name, meta->generation));
  }
  // The current generation's handle is dropped only once it is no longer current.
  if (handle == nullptr) return Status::Corruption(where + ": its column family is missing");
  rocksdb::ColumnFamilyMetaData files;
  db_->GetColumnFamilyMetaData(handle, &files);
  for (const auto& level : files.levels) {
    for (const auto& file : level.files) {
      Status s = VerifySstChecksums(file.directory + "/" + file.relative_filename);
      if (!s.ok()) return Status::Corruption(where + ": " + s.message());
    }
  }
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, handle));
  return CheckIndexEntries(it.get(), catalog.size(), where).status();
}

Result<std::shared_ptr<const serving::SessionModel>> Store::ReadSessionModel(
    rocksdb::ColumnFamilyHandle* handle, const IndexMeta& meta) const {
  if (meta.session_model_bytes == 0) return std::shared_ptr<const serving::SessionModel>();
  const std::string where = fmt::format("index {} generation {}", meta.name, meta.generation);
  auto catalog_size = CatalogSize();
  if (!catalog_size.ok()) return catalog_size.status();
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;  // read once, into the model's own memory
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, handle));
  // One pass: the lists keyed by track (the model's candidates), then the model's chunks.
  std::vector<std::vector<TrackId>> lists(*catalog_size);
  SessionModelAssembler assembler;
  for (it->Seek(EncodeIdKey(0)); it->Valid(); it->Next()) {
    std::uint32_t chunk = 0;
    const std::string_view key = it->key().ToStringView();
    std::string problem;
    if (DecodeSessionModelChunkKey(key, &chunk)) {
      problem = assembler.Add(chunk, it->value().ToStringView());
    } else if (auto track = DecodeIdKey(key); !track.ok() || *track >= lists.size()) {
      problem = "a key that is not a catalog track: " + it->key().ToString(true);
    } else if (Status s = DecodeTrackList(it->value().ToStringView(), &lists[*track]); !s.ok()) {
      problem = fmt::format("the list of track {} does not decode: {}", *track, s.message());
    }
    if (!problem.empty()) return Status::Corruption(where + ": " + problem);
  }
  BOTIFY_RETURN_IF_ERROR(FromRocks(it->status(), "reading the session model of " + where));
  auto tables = assembler.Finish(meta.session_model_bytes, *catalog_size, where);
  if (!tables.ok()) return tables.status();
  return std::shared_ptr<const serving::SessionModel>(std::make_shared<serving::SessionModel>(
      std::move(*tables), serving::CandidateLists::FromLists(lists)));
}

Result<std::shared_ptr<const serving::TrackListIndex>> Store::OpenIndex(const std::string& name) {
  auto meta = CurrentMeta(name);
  if (!meta.ok()) return meta.status();
  auto missing = [&] {
    return Status::Corruption("index " + name + " generation " + std::to_string(meta->generation) +
                              " has no column family");
  };
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  {
    MutexLock lock(mu_);
    handle = FindHandle(IndexCfName(name, meta->generation));
    if (handle == nullptr) return missing();
    ++open_count_[handle];  // keeps the handle while the model is read without the lock
  }
  auto model = ReadSessionModel(handle, *meta);
  MutexLock lock(mu_);
  if (!model.ok()) {
    --open_count_[handle];
    return model.status();
  }
  return std::shared_ptr<const serving::TrackListIndex>(std::make_shared<Generation>(
      this, handle, meta->generation, &read_errors_[name], std::move(*model)));
}

std::uint64_t Store::IndexReadErrors(const std::string& name) const {
  MutexLock lock(mu_);
  auto it = read_errors_.find(name);
  return it == read_errors_.end() ? 0 : it->second.load(std::memory_order_relaxed);
}

void Store::Retire(rocksdb::ColumnFamilyHandle* handle) {
  MutexLock lock(mu_);
  --open_count_[handle];
}

void Store::CollectGarbage() {
  auto listed = ListIndexes();
  if (!listed.ok()) return;  // keep everything while the manifest cannot be read
  std::set<std::string> current;
  for (const auto& meta : *listed) current.insert(IndexCfName(meta.name, meta.generation));
  MutexLock lock(mu_);
  for (auto it = index_handles_.begin(); it != index_handles_.end();) {
    rocksdb::ColumnFamilyHandle* h = *it;
    if (current.count(h->GetName()) || open_count_[h] > 0) {
      ++it;
      continue;
    }
    db_->DropColumnFamily(h);
    db_->DestroyColumnFamilyHandle(h);
    open_count_.erase(h);
    it = index_handles_.erase(it);
  }
}

std::uint64_t Store::LiveSstBytes() const {
  std::vector<rocksdb::LiveFileMetaData> files;
  db_->GetLiveFilesMetaData(&files);
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

std::uint64_t Store::BlockCacheBytes() const { return block_cache_->GetUsage(); }

}  // namespace botify::storage
