#include "storage/index_file_check.h"

#include <fmt/format.h>
#include <rocksdb/iterator.h>
#include <rocksdb/sst_file_reader.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "storage/codec.h"
#include "storage/session_model_chunks.h"
#include "storage/table_format.h"

namespace botify::storage {
namespace {

// What every index file starts with: the first data block holds the metadata JSON under
// the empty key, and its first bytes stay literal even when the block is compressed.
constexpr std::string_view kMetaPrefix = R"({"key":")";

// True if the first bytes of `path` look like the start of an index from BuildIndexSst:
// tells a truncated index (its footer is gone) from a file that never was one.
bool StartsLikeIndex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find(kMetaPrefix) != std::string::npos;
}

// Maps a failure to open `path` as an SST to what an operator can act on.
Status OpenFailure(const std::string& path, const rocksdb::Status& s) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::InvalidArgument(path + ": cannot read: " + ec.message());
  if (size == 0)
    return Status::InvalidArgument(path + ": empty file, not an index built by botify");
  if (StartsLikeIndex(path)) {
    return Status::InvalidArgument(
        fmt::format("{}: truncated or damaged at its end: it starts like an index built by botify "
                    "but its footer does not read ({} bytes; RocksDB: {})",
                    path, size, s.ToString()));
  }
  return Status::InvalidArgument(fmt::format(
      "{}: not an index built by botify (not an SST file; RocksDB: {})", path, s.ToString()));
}

// Checks one list entry; `key` is already decoded. Returns "" or the problem.
std::string CheckList(std::uint32_t key, std::string_view value, const IndexMeta& meta,
                      std::size_t catalog_size, std::vector<TrackId>* tracks) {
  const std::string what = fmt::format("the list for {} {}", catalog::ListKeyName(meta.key), key);
  if (meta.key == catalog::ListKey::kTrack && key >= catalog_size) {
    return fmt::format("{}: the key is outside the catalog ({} tracks)", what, catalog_size);
  }
  if (Status s = DecodeTrackList(value, tracks); !s.ok()) {
    return fmt::format("{} does not decode: {}", what, s.message());
  }
  if (tracks->empty()) return what + " is empty";
  for (std::size_t i = 0; i < tracks->size(); ++i) {
    if ((*tracks)[i] >= catalog_size) {
      return fmt::format("{} has track {} at position {}, outside the catalog ({} tracks)", what,
                         (*tracks)[i], i, catalog_size);
    }
  }
  return "";
}

// Reads the metadata record the iterator is on (or should be on). Returns "" or the problem.
std::string ReadMeta(rocksdb::Iterator* it, IndexMeta* meta) {
  if (!it->Valid()) return "not an index built by botify: it holds no metadata record";
  if (!it->key().empty()) {
    return "not an index built by botify: its first key is not the metadata record";
  }
  auto parsed = IndexMeta::FromJson(it->value().ToStringView());
  if (!parsed.ok()) {
    return "not an index built by botify: its metadata does not parse: " +
           parsed.status().message();
  }
  *meta = std::move(*parsed);
  return "";
}

}  // namespace

Result<IndexMeta> CheckIndexEntries(rocksdb::Iterator* it, std::size_t catalog_size,
                                    const std::string& where) {
  auto fail = [&](const std::string& problem) {
    return Status::Corruption(where + ": " + problem);
  };
  auto read_error = [&] {
    return fail(fmt::format("read error (damaged file?): {}", it->status().ToString()));
  };
  it->SeekToFirst();
  if (!it->status().ok()) return read_error();
  IndexMeta meta;
  if (std::string problem = ReadMeta(it, &meta); !problem.empty()) return fail(problem);
  std::uint64_t lists = 0, tracks = 0;
  std::vector<TrackId> list;
  SessionModelAssembler model;
  for (it->Next(); it->Valid(); it->Next()) {
    std::uint32_t chunk = 0;
    if (DecodeSessionModelChunkKey(it->key().ToStringView(), &chunk)) {
      std::string problem = model.Add(chunk, it->value().ToStringView());
      if (!problem.empty()) return fail(problem);
      continue;
    }
    auto key = DecodeIdKey(it->key().ToStringView());
    if (!key.ok())
      return fail(fmt::format("key #{} is not an id: {}", lists + 1, key.status().message()));
    std::string problem = CheckList(*key, it->value().ToStringView(), meta, catalog_size, &list);
    if (!problem.empty()) return fail(problem);
    ++lists;
    tracks += list.size();
  }
  if (!it->status().ok()) return read_error();
  if (lists != meta.lists || tracks != meta.tracks) {
    return fail(
        fmt::format("holds {} lists and {} tracks, its metadata says {} lists and {} tracks", lists,
                    tracks, meta.lists, meta.tracks));
  }
  if (meta.session_model_bytes > 0 || !model.empty()) {
    auto checked = model.Finish(meta.session_model_bytes, catalog_size, where);
    if (!checked.ok()) return checked.status();
  }
  return meta;
}

Status VerifySstChecksums(const std::string& path) {
  rocksdb::SstFileReader reader(IndexSstWriterOptions());
  if (auto s = reader.Open(path); !s.ok()) return OpenFailure(path, s);
  if (auto s = reader.VerifyChecksum(); !s.ok()) {
    return Status::Corruption(path + ": damaged (checksum mismatch): " + s.ToString());
  }
  return Status::Ok();
}

Result<IndexMeta> CheckIndexFile(const std::string& path, std::size_t catalog_size) {
  Status checksums = VerifySstChecksums(path);
  if (!checksums.ok()) return Status::InvalidArgument(checksums.message());
  rocksdb::SstFileReader reader(IndexSstWriterOptions());
  if (auto s = reader.Open(path); !s.ok()) return OpenFailure(path, s);
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(read));
  auto meta = CheckIndexEntries(it.get(), catalog_size, path);
  if (!meta.ok()) return Status::InvalidArgument(meta.status().message());
  return meta;
}

}  // namespace botify::storage
