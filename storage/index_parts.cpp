#include "storage/index_parts.h"

#include <fmt/format.h>
#include <rocksdb/iterator.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/table_properties.h>

#include <algorithm>
#include <boost/json.hpp>

#include "base/json_fields.h"
#include "storage/index_file_check.h"
#include "storage/table_format.h"

namespace botify::storage {
namespace {

namespace json = boost::json;

// Adds the value its owner set to the finished table's properties.
class PartCollector final : public rocksdb::TablePropertiesCollector {
 public:
  explicit PartCollector(std::shared_ptr<const std::string> value) : value_(std::move(value)) {}
  rocksdb::Status AddUserKey(const rocksdb::Slice&, const rocksdb::Slice&, rocksdb::EntryType,
                             rocksdb::SequenceNumber, std::uint64_t) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status Finish(rocksdb::UserCollectedProperties* properties) override {
    if (value_->empty()) return rocksdb::Status::InvalidArgument("index part property not set");
    (*properties)[kIndexPartProperty] = *value_;
    return rocksdb::Status::OK();
  }
  rocksdb::UserCollectedProperties GetReadableProperties() const override {
    return {{kIndexPartProperty, *value_}};
  }
  const char* Name() const override { return "BotifyIndexPart"; }

 private:
  std::shared_ptr<const std::string> value_;
};

class PartCollectorFactory final : public rocksdb::TablePropertiesCollectorFactory {
 public:
  explicit PartCollectorFactory(std::shared_ptr<const std::string> value)
      : value_(std::move(value)) {}
  rocksdb::TablePropertiesCollector* CreateTablePropertiesCollector(
      rocksdb::TablePropertiesCollectorFactory::Context) override {
    return new PartCollector(value_);
  }
  const char* Name() const override { return "BotifyIndexPartFactory"; }

 private:
  std::shared_ptr<const std::string> value_;
};

Result<std::uint32_t> GetKey(const json::object& o, std::string_view field) {
  auto v = GetUnsigned(o, field, kMaxId);
  if (!v.ok()) return v.status();
  return static_cast<std::uint32_t>(*v);
}

// One part file checked whole against its own property.
Result<IndexPart> CheckPart(const std::string& path, std::size_t catalog_size) {
  if (Status s = VerifySstChecksums(path); !s.ok()) return Status::InvalidArgument(s.message());
  auto part = ReadIndexPart(path);
  if (!part.ok()) return part.status();
  rocksdb::SstFileReader reader(IndexSstWriterOptions());
  if (auto s = reader.Open(path); !s.ok()) {
    return Status::InvalidArgument(path + ": cannot open: " + s.ToString());
  }
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(read));
  Status s = CheckIndexPartEntries(it.get(), part->meta, catalog_size,
                                   {.first = part->first_key, .last = part->last_key}, path);
  if (!s.ok()) return Status::InvalidArgument(s.message());
  return part;
}

// Parts of one build, sorted by part number, each once, their ranges meeting from 0 to the
// last key. `paths` in the order of `parts`.
Status CheckOneSet(std::vector<IndexPart>* parts, std::vector<std::string>* paths) {
  std::vector<std::size_t> order(parts->size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return (*parts)[a].part < (*parts)[b].part; });
  std::vector<IndexPart> sorted;
  std::vector<std::string> sorted_paths;
  for (std::size_t i : order) {
    sorted.push_back(std::move((*parts)[i]));
    sorted_paths.push_back(std::move((*paths)[i]));
  }
  const IndexMeta& first = sorted[0].meta;
  std::string given;
  for (const auto& p : sorted_paths) given += (given.empty() ? "" : ", ") + p;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const IndexPart& p = sorted[i];
    if (p.meta.source_crc32 != first.source_crc32 || p.meta.parts != first.parts ||
        p.meta.key != first.key) {
      return Status::InvalidArgument(fmt::format(
          "{} and {} are parts of different builds (set {} of {} parts keyed by {}, set {} of {} "
          "parts keyed by {})",
          sorted_paths[0], sorted_paths[i], first.source_crc32, first.parts,
          catalog::ListKeyName(first.key), p.meta.source_crc32, p.meta.parts,
          catalog::ListKeyName(p.meta.key)));
    }
    if (p.part != i) {
      const bool repeated = i > 0 && sorted[i - 1].part == p.part;
      return Status::InvalidArgument(
          repeated ? fmt::format("{} and {} are both part {} of {}", sorted_paths[i - 1],
                                 sorted_paths[i], p.part, first.parts)
                   : fmt::format("part {} of {} is missing (given: {})", i, first.parts, given));
    }
    const std::uint32_t expected_first = i == 0 ? 0 : sorted[i - 1].last_key + 1;
    if (p.first_key != expected_first) {
      return Status::InvalidArgument(
          fmt::format("{}: part {} starts at key {}, the part before it ends at key {}",
                      sorted_paths[i], p.part, p.first_key, expected_first - 1));
    }
  }
  if (sorted.size() != first.parts) {
    return Status::InvalidArgument(
        fmt::format("part {} of {} is missing (given: {})", sorted.size(), first.parts, given));
  }
  if (sorted.back().last_key != kMaxId) {
    return Status::InvalidArgument(fmt::format("{}: the last part ends at key {}, not {}",
                                               sorted_paths.back(), sorted.back().last_key,
                                               kMaxId));
  }
  *parts = std::move(sorted);
  *paths = std::move(sorted_paths);
  return Status::Ok();
}

}  // namespace

std::string IndexPart::ToJson() const {
  json::object o = json::parse(meta.ToJson()).as_object();
  o["parts"] = meta.parts;  // always, also for a set of one
  o["part"] = part;
  o["first_key"] = first_key;
  o["last_key"] = last_key;
  return json::serialize(o);
}

Result<IndexPart> IndexPart::FromJson(std::string_view text) {
  auto meta = IndexMeta::FromJson(text);
  if (!meta.ok()) return meta.status();
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.status();
  IndexPart p;
  p.meta = std::move(*meta);
  auto part = GetKey(*obj, "part");
  auto first = GetKey(*obj, "first_key");
  auto last = GetKey(*obj, "last_key");
  for (const Status& s : {part.status(), first.status(), last.status()}) {
    if (!s.ok()) return Status::Corruption("index part: " + s.message());
  }
  p.part = *part;
  p.first_key = *first;
  p.last_key = *last;
  if (p.part >= p.meta.parts || p.first_key > p.last_key) {
    return Status::Corruption(fmt::format("index part: part {} of {}, keys [{}, {}]", p.part,
                                          p.meta.parts, p.first_key, p.last_key));
  }
  return p;
}

IndexPartPropertyWriter::IndexPartPropertyWriter()
    : value_(std::make_shared<std::string>()),
      factory_(std::make_shared<PartCollectorFactory>(value_)) {}

void IndexPartPropertyWriter::SetValue(std::string json) { *value_ = std::move(json); }

Result<IndexPart> ReadIndexPart(const std::string& path) {
  rocksdb::SstFileReader reader(IndexSstWriterOptions());
  if (auto s = reader.Open(path); !s.ok()) {
    return Status::InvalidArgument(path + ": not an SST file: " + s.ToString());
  }
  auto properties = reader.GetTableProperties();
  const auto& user = properties->user_collected_properties;
  auto it = user.find(kIndexPartProperty);
  if (it == user.end()) {
    return Status::InvalidArgument(
        path +
        ": not a key-range part of an index (`botify index build --key-ranges`); a "
        "single-file index loads alone");
  }
  auto part = IndexPart::FromJson(it->second);
  if (!part.ok()) return Status::InvalidArgument(path + ": " + part.status().message());
  return part;
}

Result<IndexMeta> CheckIndexParts(const std::vector<std::string>& paths, std::size_t catalog_size) {
  if (paths.empty()) return Status::InvalidArgument("no index parts given");
  std::vector<IndexPart> parts;
  for (const std::string& path : paths) {
    auto part = CheckPart(path, catalog_size);
    if (!part.ok()) return part.status();
    parts.push_back(std::move(*part));
  }
  std::vector<std::string> sorted_paths = paths;
  BOTIFY_RETURN_IF_ERROR(CheckOneSet(&parts, &sorted_paths));
  IndexMeta set = parts[0].meta;
  set.lists = 0;
  set.tracks = 0;
  for (const IndexPart& p : parts) {
    set.lists += p.meta.lists;
    set.tracks += p.meta.tracks;
  }
  return set;
}

}  // namespace botify::storage
