#include "storage/index_builder.h"

#include <fmt/format.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_set>

#include "base/file.h"
#include "base/line_reader.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/serving/session_model_file.h"
#include "storage/codec.h"
#include "storage/index_parts.h"
#include "storage/table_format.h"

namespace botify::storage {
namespace {

// Where a list was read: the index of its file among the inputs, and its line.
struct Origin {
  std::size_t file = 0;
  std::size_t line = 0;
};
using Lists = std::map<std::uint32_t, std::pair<Origin, std::vector<TrackId>>>;

// The lines one build takes: those whose key is in `range`, and, if `keyless`, the lines
// whose key cannot be read (bad lines: exactly one part of a key-range build reports them).
struct Route {
  KeyRange range;
  bool keyless = true;
  bool all() const { return keyless && range.first == 0 && range.last == kMaxId; }
};

// Collects problems; decides whether the build can go on.
class ProblemLog {
 public:
  ProblemLog(const IndexBuildOptions& options, IndexBuildReport* report)
      : options_(options), report_(report) {}
  void Add(const std::string& where, const std::string& reason) {
    if (report_->problem_count++ < options_.max_reported) {
      report_->problems.push_back(where + ": " + reason);
    }
    if (first_.empty()) first_ = where + ": " + reason;
  }
  const std::string& first() const { return first_; }

 private:
  const IndexBuildOptions& options_;
  IndexBuildReport* report_;
  std::string first_;
};

// Checks one parsed line; returns the reason it is bad, or "" if good. Drops repeated
// tracks within the list (first occurrence kept).
std::string CheckLine(catalog::RecommendationsLine* line, const catalog::Catalog& catalog,
                      IndexBuildReport* report) {
  if (line->tracks.empty()) return "empty list";
  for (std::size_t i = 0; i < line->tracks.size(); ++i) {
    if (!catalog.Contains(line->tracks[i])) {
      return fmt::format("track {} at position {} is not in the catalog ({} tracks)",
                         line->tracks[i], i, catalog.size());
    }
  }
  if (line->key == catalog::ListKey::kTrack && !catalog.Contains(line->id)) {
    return fmt::format("key track {} is not in the catalog", line->id);
  }
  std::unordered_set<TrackId> seen;
  auto end = std::remove_if(line->tracks.begin(), line->tracks.end(),
                            [&](TrackId t) { return !seen.insert(t).second; });
  report->repeated_tracks += line->tracks.end() - end;
  line->tracks.erase(end, line->tracks.end());
  return "";
}

// Adds a good line to `lists` under the duplicates policy; returns a reason if rejected.
// `paths`: the inputs, to name the file of an earlier line in another file.
std::string AddLine(catalog::RecommendationsLine&& line, Origin origin,
                    const std::vector<std::string>& paths, const IndexBuildOptions& options,
                    Lists* lists, IndexBuildReport* report) {
  auto it = lists->find(line.id);
  if (it == lists->end()) {
    lists->emplace(line.id, std::make_pair(origin, std::move(line.tracks)));
    return "";
  }
  const Origin& first = it->second.first;
  const std::string where = first.file == origin.file
                                ? fmt::format("line {}", first.line)
                                : fmt::format("{}:{}", paths[first.file], first.line);
  const std::string what = fmt::format("{} {} is listed again (first at {})",
                                       catalog::ListKeyName(line.key), line.id, where);
  switch (options.duplicates) {
    case IndexBuildOptions::Duplicates::kReject:
      return what;
    case IndexBuildOptions::Duplicates::kFirstWins:
      ++report->skipped_lines;
      return what + "; the first line wins";
    case IndexBuildOptions::Duplicates::kLastWins:
      ++report->skipped_lines;
      it->second = {origin, std::move(line.tracks)};
      return what + "; this later line wins";
  }
  return "";
}

// The line's key if `route` takes it, parsing it only when its key cannot be peeked;
// nullopt for a line of another route. *parsed is set when the line was parsed.
std::optional<std::uint32_t> RouteLine(
    std::string_view text, const Route& route,
    std::optional<Result<catalog::RecommendationsLine>>* parsed) {
  catalog::ListKey kind;
  std::uint32_t id = 0;
  if (!catalog::PeekRecommendationsKey(text, &kind, &id)) {
    *parsed = catalog::ParseRecommendationsLine(text);
    if (!(*parsed)->ok()) {
      if (route.keyless) return 0;
      return std::nullopt;
    }
    id = (**parsed)->id;
  }
  if (id < route.range.first || id > route.range.last) return std::nullopt;
  return id;
}

// Reads the lines of `paths` in order that `route` takes into `lists`, under the policy.
Status ReadLists(const std::vector<std::string>& paths, const catalog::Catalog& catalog,
                 const IndexBuildOptions& options, const Route& route, Lists* lists,
                 IndexBuildReport* report) {
  ProblemLog problems(options, report);
  std::optional<catalog::ListKey> key;
  const bool strict = options.on_error == IndexBuildOptions::OnError::kReject;
  std::size_t lines_read = 0;  // of every route, for the progress
  for (std::size_t file = 0; file < paths.size(); ++file) {
    auto reader = LineReader::Open(paths[file]);
    if (!reader.ok()) return reader.status();
    LineReader& in = **reader;
    std::string_view text;
    while (in.Next(&text)) {
      if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (options.progress && ++lines_read % 100000 == 0) options.progress(lines_read);
      std::optional<Result<catalog::RecommendationsLine>> parsed;
      const auto routed =
          route.all() ? std::optional<std::uint32_t>(0) : RouteLine(text, route, &parsed);
      if (!routed) continue;
      ++report->lines;
      if (!parsed) parsed = catalog::ParseRecommendationsLine(text);
      auto& line = *parsed;
      std::string reason = line.ok() ? "" : line.status().message();
      if (reason.empty() && !route.all() && line->id != *routed) {
        reason = fmt::format("its key field is given twice ({} and {})", *routed, line->id);
      }
      if (reason.empty() && key && line->key != *key) {
        reason = fmt::format("keyed by {} but earlier lines are keyed by {}",
                             catalog::ListKeyName(line->key), catalog::ListKeyName(*key));
      }
      if (reason.empty()) reason = CheckLine(&*line, catalog, report);
      if (reason.empty()) {
        key = line->key;
        const std::string dup =
            AddLine(std::move(*line), {file, in.line_number()}, paths, options, lists, report);
        if (!dup.empty()) {
          problems.Add(in.Where(), dup);
          if (options.duplicates == IndexBuildOptions::Duplicates::kReject) reason = dup;
        }
      } else {
        problems.Add(in.Where(), reason);
      }
      if (!reason.empty()) {
        if (strict) return Status::InvalidArgument(problems.first());
        ++report->skipped_lines;
      }
    }
    BOTIFY_RETURN_IF_ERROR(in.status());
  }
  if (lists->empty()) {
    const std::string what = route.all() ? fmt::format("{}", fmt::join(paths, ", "))
                                         : fmt::format("keys [{}, {}] of {}", route.range.first,
                                                       route.range.last, fmt::join(paths, ", "));
    return Status::InvalidArgument(
        fmt::format("{}: no valid lists ({} lines read)", what, report->lines));
  }
  report->meta.key = key.value_or(catalog::ListKey::kUser);
  return Status::Ok();
}

void FillStats(const Lists& lists, IndexBuildReport* report) {
  std::vector<std::size_t> sizes;
  sizes.reserve(lists.size());
  for (const auto& [id, entry] : lists) {
    sizes.push_back(entry.second.size());
    report->meta.tracks += entry.second.size();
  }
  std::sort(sizes.begin(), sizes.end());
  report->meta.lists = lists.size();
  report->min_list = sizes.front();
  report->median_list = sizes[sizes.size() / 2];
  report->max_list = sizes.back();
}

// Reads and checks the session model file; "" in *bytes without one.
Status ReadSessionModel(const IndexBuildOptions& options, const catalog::Catalog& catalog,
                        catalog::ListKey key, std::string* bytes) {
  bytes->clear();
  if (options.session_model_path.empty()) return Status::Ok();
  const std::string& path = options.session_model_path;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(path, bytes));
  auto model = serving::DecodeSessionModel(*bytes, path);
  if (!model.ok()) return model.status();
  if (model->tracks != catalog.size()) {
    return Status::InvalidArgument(
        fmt::format("{}: a session model of {} tracks, the catalog has {}", path, model->tracks,
                    catalog.size()));
  }
  if (key != catalog::ListKey::kTrack) {
    return Status::InvalidArgument(
        path +
        ": a session model needs lists keyed by track (its candidates), these are keyed by " +
        std::string(catalog::ListKeyName(key)));
  }
  return Status::Ok();
}

// Writes `lists` as an SST at `sst_path`: after the metadata record `meta_record` (a
// single-file index), or with the table property `part_property` (a key-range part); then
// the chunks of the session model `model` ("" for none).
Status WriteSst(const Lists& lists, const std::string& meta_record,
                const std::string& part_property, std::string_view model,
                const std::string& sst_path) {
  rocksdb::Options writer_options = IndexSstWriterOptions();
  IndexPartPropertyWriter property;
  if (!part_property.empty()) {
    writer_options.table_properties_collector_factories.push_back(property.factory());
  }
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), writer_options);
  const std::string tmp = sst_path + ".tmp";
  auto check = [&](const rocksdb::Status& s, const char* what) {
    return s.ok() ? Status::Ok()
                  : Status::IoError(std::string(what) + " " + tmp + ": " + s.ToString());
  };
  BOTIFY_RETURN_IF_ERROR(check(writer.Open(tmp), "cannot create"));
  if (!meta_record.empty())
    BOTIFY_RETURN_IF_ERROR(check(writer.Put("", meta_record), "cannot write"));
  for (const auto& [id, entry] : lists) {
    BOTIFY_RETURN_IF_ERROR(
        check(writer.Put(EncodeIdKey(id), EncodeTrackList(entry.second)), "cannot write"));
  }
  for (std::uint32_t chunk = 0; std::size_t{chunk} * kSessionModelChunkBytes < model.size();
       ++chunk) {
    BOTIFY_RETURN_IF_ERROR(check(
        writer.Put(
            SessionModelChunkKey(chunk),
            model.substr(std::size_t{chunk} * kSessionModelChunkBytes, kSessionModelChunkBytes)),
        "cannot write"));
  }
  property.SetValue(part_property);
  BOTIFY_RETURN_IF_ERROR(check(writer.Finish(), "cannot finish"));
  return CommitFile(tmp, sst_path);  // a crash leaves no half-written final file
}

std::string Crc32Of(std::string_view text) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()),
                          static_cast<uInt>(text.size()));
  return fmt::format("{:08x}", crc);
}

// The CRC-32 of one file, or of the CRC-32s of several (comma-separated, in order).
Result<std::string> SourcesCrc32(const std::vector<std::string>& paths) {
  std::vector<std::string> crcs;
  for (const std::string& path : paths) {
    auto crc = FileCrc32(path);
    if (!crc.ok()) return crc.status();
    crcs.push_back(std::move(*crc));
  }
  if (crcs.size() == 1) return crcs[0];
  return Crc32Of(fmt::format("{}", fmt::join(crcs, ",")));
}

std::string SourcesName(const std::vector<std::string>& paths) {
  std::vector<std::string> absolute;
  for (const std::string& path : paths) {
    absolute.push_back(std::filesystem::absolute(path).string());
  }
  return fmt::format("{}", fmt::join(absolute, ", "));
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Every key of the inputs (peeked, or parsed when it cannot be), distinct and ascending;
// lines without a readable key are left out.
Result<std::vector<std::uint32_t>> DistinctKeys(const std::vector<std::string>& paths) {
  std::vector<std::uint32_t> keys;
  for (const std::string& path : paths) {
    auto reader = LineReader::Open(path);
    if (!reader.ok()) return reader.status();
    std::string_view text;
    while ((*reader)->Next(&text)) {
      catalog::ListKey kind;
      std::uint32_t id = 0;
      if (catalog::PeekRecommendationsKey(text, &kind, &id)) {
        keys.push_back(id);
      } else if (auto line = catalog::ParseRecommendationsLine(text); line.ok()) {
        keys.push_back(line->id);
      }
    }
    BOTIFY_RETURN_IF_ERROR((*reader)->status());
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

Status IndexBuildOptions::Validate() const {
  if (key_ranges == 0 || key_ranges > 4096) {
    return Status::InvalidArgument(
        fmt::format("key ranges must be in [1, 4096], got {}", key_ranges));
  }
  if (only_range && *only_range >= key_ranges) {
    return Status::InvalidArgument(fmt::format(
        "key range {} is not below the number of ranges {} (ranges are numbered 0 to N-1)",
        *only_range, key_ranges));
  }
  if (key_ranges > 1 && !session_model_path.empty()) {
    return Status::InvalidArgument(
        "a session model is carried by a single-file index only: build it without key ranges "
        "(key-range parts hold lists alone)");
  }
  return Status::Ok();
}

Result<std::string> FileCrc32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(in.gcount()));
  }
  return fmt::format("{:08x}", crc);
}

Status BuildIndexSst(const std::vector<std::string>& recs_paths, const catalog::Catalog& catalog,
                     const std::string& sst_path, const IndexBuildOptions& options,
                     IndexBuildReport* report_out) {
  IndexBuildReport local;
  IndexBuildReport* report = report_out ? report_out : &local;
  *report = IndexBuildReport();
  std::filesystem::remove(sst_path);
  if (recs_paths.empty()) return Status::InvalidArgument("no recommendations file given");
  Lists lists;
  BOTIFY_RETURN_IF_ERROR(ReadLists(recs_paths, catalog, options, Route{}, &lists, report));
  FillStats(lists, report);
  std::string model;
  BOTIFY_RETURN_IF_ERROR(ReadSessionModel(options, catalog, report->meta.key, &model));
  report->meta.session_model_bytes = model.size();
  auto crc = SourcesCrc32(recs_paths);
  if (!crc.ok()) return crc.status();
  report->meta.source = SourcesName(recs_paths);
  report->meta.source_crc32 = *crc;
  report->meta.built_at_ms = NowMs();
  return WriteSst(lists, report->meta.ToJson(), "", model, sst_path);
}

Status BuildIndexSst(const std::string& recs_path, const catalog::Catalog& catalog,
                     const std::string& sst_path, const IndexBuildOptions& options,
                     IndexBuildReport* report) {
  return BuildIndexSst(std::vector<std::string>{recs_path}, catalog, sst_path, options, report);
}

std::string IndexPartPath(const std::string& prefix, std::uint32_t part, std::uint32_t parts) {
  std::string_view stem = prefix;
  if (stem.ends_with(".sst")) stem.remove_suffix(4);
  return fmt::format("{}.{}-of-{}.sst", stem, part, parts);
}

Result<std::vector<KeyRange>> PlanKeyRanges(const std::vector<std::string>& recs_paths,
                                            std::uint32_t parts) {
  if (parts == 0) return Status::InvalidArgument("key ranges: at least 1");
  auto keys = DistinctKeys(recs_paths);
  if (!keys.ok()) return keys.status();
  if (keys->size() < parts) {
    return Status::InvalidArgument(
        fmt::format("{} key ranges for {} distinct keys in {}: give at "
                    "most one range a key",
                    parts, keys->size(), fmt::join(recs_paths, ", ")));
  }
  std::vector<KeyRange> ranges(parts);
  for (std::uint32_t i = 1; i < parts; ++i) {
    ranges[i].first = (*keys)[keys->size() * i / parts];
    ranges[i - 1].last = ranges[i].first - 1;
  }
  return ranges;
}

Status BuildIndexParts(const std::vector<std::string>& recs_paths, const catalog::Catalog& catalog,
                       const std::string& out_prefix, const IndexBuildOptions& options,
                       std::vector<IndexBuildReport>* reports) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  reports->clear();
  auto ranges = PlanKeyRanges(recs_paths, options.key_ranges);
  if (!ranges.ok()) return ranges.status();
  auto sources_crc = SourcesCrc32(recs_paths);
  if (!sources_crc.ok()) return sources_crc.status();
  std::vector<std::uint32_t> firsts;
  for (const KeyRange& r : *ranges) firsts.push_back(r.first);
  // The same in every part of this build, whichever process builds it.
  const std::string set_id = Crc32Of(fmt::format("{};{}", *sources_crc, fmt::join(firsts, ",")));
  std::vector<std::string> written;
  auto give_up = [&](Status status) {
    for (const std::string& path : written) std::filesystem::remove(path);
    return status;
  };
  for (std::uint32_t i = 0; i < options.key_ranges; ++i) {
    if (options.only_range && *options.only_range != i) continue;
    const std::string path = IndexPartPath(out_prefix, i, options.key_ranges);
    std::filesystem::remove(path);
    IndexBuildReport& report = reports->emplace_back();
    Lists lists;
    const Route route{.range = (*ranges)[i], .keyless = i == 0};
    Status read = ReadLists(recs_paths, catalog, options, route, &lists, &report);
    if (!read.ok()) return give_up(read.WithContext(fmt::format("part {}", i)));
    FillStats(lists, &report);
    report.meta.source = SourcesName(recs_paths);
    report.meta.source_crc32 = set_id;
    report.meta.built_at_ms = NowMs();
    report.meta.parts = options.key_ranges;
    const IndexPart part{.meta = report.meta,
                         .part = i,
                         .first_key = route.range.first,
                         .last_key = route.range.last};
    Status write = WriteSst(lists, "", part.ToJson(), "", path);
    if (!write.ok()) return give_up(write);
    written.push_back(path);
  }
  return Status::Ok();
}

Status WriteIndexMetaSst(const IndexMeta& meta, const std::string& sst_path) {
  return WriteSst({}, meta.ToJson(), "", "", sst_path);
}

std::string IndexBuildReport::Summary() const {
  std::string s = fmt::format(
      "{} lines read; {} lists keyed by {}, {} tracks; list length min {} / median {} / max {}; "
      "{} lines skipped; {} repeated tracks dropped",
      lines, meta.lists, catalog::ListKeyName(meta.key), meta.tracks, min_list, median_list,
      max_list, skipped_lines, repeated_tracks);
  if (meta.session_model_bytes > 0) {
    s += fmt::format("; a session model of {} bytes", meta.session_model_bytes);
  }
  if (problem_count > 0) {
    s += fmt::format("\n{} problems:", problem_count);
    for (const auto& p : problems) s += "\n  " + p;
    if (problem_count > problems.size()) {
      s += fmt::format("\n  ... and {} more", problem_count - problems.size());
    }
  }
  return s;
}

}  // namespace botify::storage
