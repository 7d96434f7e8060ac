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
#include "storage/table_format.h"

namespace botify::storage {
namespace {

using Lists = std::map<std::uint32_t, std::pair<std::size_t, std::vector<TrackId>>>;

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
std::string AddLine(catalog::RecommendationsLine&& line, std::size_t line_number,
                    const IndexBuildOptions& options, Lists* lists, IndexBuildReport* report) {
  auto it = lists->find(line.id);
  if (it == lists->end()) {
    lists->emplace(line.id, std::make_pair(line_number, std::move(line.tracks)));
    return "";
  }
  const std::string what = fmt::format("{} {} is listed again (first at line {})",
                                       catalog::ListKeyName(line.key), line.id, it->second.first);
  switch (options.duplicates) {
    case IndexBuildOptions::Duplicates::kReject:
      return what;
    case IndexBuildOptions::Duplicates::kFirstWins:
      ++report->skipped_lines;
      return what + "; the first line wins";
    case IndexBuildOptions::Duplicates::kLastWins:
      ++report->skipped_lines;
      it->second = {line_number, std::move(line.tracks)};
      return what + "; this later line wins";
  }
  return "";
}

Status ReadLists(const std::string& recs_path, const catalog::Catalog& catalog,
                 const IndexBuildOptions& options, Lists* lists, IndexBuildReport* report) {
  auto reader = LineReader::Open(recs_path);
  if (!reader.ok()) return reader.status();
  LineReader& in = **reader;
  ProblemLog problems(options, report);
  std::optional<catalog::ListKey> key;
  std::string_view text;
  const bool strict = options.on_error == IndexBuildOptions::OnError::kReject;
  while (in.Next(&text)) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++report->lines;
    if (options.progress && report->lines % 100000 == 0) options.progress(report->lines);
    auto line = catalog::ParseRecommendationsLine(text);
    std::string reason = line.ok() ? "" : line.status().message();
    if (reason.empty() && key && line->key != *key) {
      reason = fmt::format("keyed by {} but earlier lines are keyed by {}",
                           catalog::ListKeyName(line->key), catalog::ListKeyName(*key));
    }
    if (reason.empty()) reason = CheckLine(&*line, catalog, report);
    if (reason.empty()) {
      key = line->key;
      const std::string dup = AddLine(std::move(*line), in.line_number(), options, lists, report);
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
  if (lists->empty()) {
    return Status::InvalidArgument(recs_path + ": no valid lists (" +
                                   std::to_string(report->lines) + " lines read)");
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

Status WriteSst(const Lists& lists, const IndexMeta& meta, std::string_view model,
                const std::string& sst_path) {
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), IndexSstWriterOptions());
  const std::string tmp = sst_path + ".tmp";
  auto check = [&](const rocksdb::Status& s, const char* what) {
    return s.ok() ? Status::Ok()
                  : Status::IoError(std::string(what) + " " + tmp + ": " + s.ToString());
  };
  BOTIFY_RETURN_IF_ERROR(check(writer.Open(tmp), "cannot create"));
  BOTIFY_RETURN_IF_ERROR(check(writer.Put("", meta.ToJson()), "cannot write"));
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
  BOTIFY_RETURN_IF_ERROR(check(writer.Finish(), "cannot finish"));
  return CommitFile(tmp, sst_path);  // a crash leaves no half-written final file
}

}  // namespace

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

Status BuildIndexSst(const std::string& recs_path, const catalog::Catalog& catalog,
                     const std::string& sst_path, const IndexBuildOptions& options,
                     IndexBuildReport* report_out) {
  IndexBuildReport local;
  IndexBuildReport* report = report_out ? report_out : &local;
  *report = IndexBuildReport();
  std::filesystem::remove(sst_path);
  Lists lists;
  BOTIFY_RETURN_IF_ERROR(ReadLists(recs_path, catalog, options, &lists, report));
  FillStats(lists, report);
  std::string model;
  BOTIFY_RETURN_IF_ERROR(ReadSessionModel(options, catalog, report->meta.key, &model));
  report->meta.session_model_bytes = model.size();
  auto crc = FileCrc32(recs_path);
  if (!crc.ok()) return crc.status();
  report->meta.source = std::filesystem::absolute(recs_path).string();
  report->meta.source_crc32 = *crc;
  report->meta.built_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  return WriteSst(lists, report->meta, model, sst_path);
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
