#include "engine/eventlog/event_log_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/line_reader.h"
#include "engine/eventlog/event_fast_parser.h"

namespace botify::eventlog {
namespace fs = std::filesystem;

namespace {

bool HasLogSuffix(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  return name.ends_with(".jsonl") || name.ends_with(".json") || name.ends_with(".log");
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// Recursively collects log files under `root` as paths relative to it, skipping
// dot-named entries. Errors (unreadable folder) are reported, not swallowed.
Status CollectRelative(const fs::path& root, std::vector<std::string>* out) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec), end;
  if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && HasLogSuffix(name)) {
      out->push_back(fs::relative(it->path(), root, ec).generic_string());
    }
  }
  if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status EventLogReaderOptions::Validate() const {
  if (bad_lines != BadLinePolicy::kSkip && bad_lines != BadLinePolicy::kStrict) {
    return Status::InvalidArgument("bad_lines: unknown policy");
  }
  return Status::Ok();
}

std::string EventLogStats::Summary() const {
  std::string s = fmt::format("{} files, {} rows, {} bad lines skipped, {} blank lines", files,
                              rows, bad_lines, blank_lines);
  if (truncated_files > 0) {
    s += fmt::format(", {} truncated gzip files read up to the cut", truncated_files);
  }
  return s;
}

Result<std::vector<std::string>> ListEventLogFiles(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound("event log path " + path + " does not exist");
  if (!fs::is_directory(st)) return std::vector<std::string>{path};
  std::vector<std::string> relative;
  BOTIFY_RETURN_IF_ERROR(CollectRelative(path, &relative));
  std::sort(relative.begin(), relative.end());
  std::vector<std::string> files;
  files.reserve(relative.size());
  for (const auto& r : relative) files.push_back((fs::path(path) / r).string());
  return files;
}

EventLogReader::EventLogReader(EventLogReaderOptions options) : options_(options) {}
EventLogReader::~EventLogReader() = default;

Status EventLogReader::Read(const std::string& path, const EventCallback& on_event) {
  BOTIFY_RETURN_IF_ERROR(options_.Validate());
  auto files = ListEventLogFiles(path);
  if (!files.ok()) return files.status();
  for (const auto& file : *files) {
    BOTIFY_RETURN_IF_ERROR(ReadFile(file, on_event));
  }
  return Status::Ok();
}

Status EventLogReader::ReadFile(const std::string& file, const EventCallback& on_event) {
  auto reader = LineReader::Open(file);
  if (!reader.ok()) return reader.status();
  FastEventParser parser;
  std::string_view line;
  while ((*reader)->Next(&line)) {
    bool valid = parser.Parse(line, &event_);
    if (!valid && IsBlank(line)) {
      ++stats_.blank_lines;
      continue;
    }
    if (!valid) BOTIFY_RETURN_IF_ERROR(ParseDeclined((*reader)->Where(), line, &valid));
    if (valid) {
      ++stats_.rows;
      if (Status s = on_event(event_); !s.ok()) return s.WithContext((*reader)->Where());
    }
  }
  BOTIFY_RETURN_IF_ERROR((*reader)->status());
  if ((*reader)->truncated()) {
    BOTIFY_RETURN_IF_ERROR(
        HandleBad(fmt::format("{}: truncated gzip stream (read {} whole lines before the cut)",
                              file, (*reader)->line_number()),
                  &stats_.truncated_files));
  }
  ++stats_.files;
  if (on_file_done_) on_file_done_(file, stats_);
  return Status::Ok();
}

Status EventLogReader::ParseDeclined(const std::string& where, std::string_view line, bool* valid) {
  auto parsed = ParseEventWithDom(line);
  *valid = parsed.ok();
  if (parsed.ok()) {
    event_ = std::move(parsed).value();
    return Status::Ok();
  }
  return HandleBad(where + ": " + parsed.status().message(), &stats_.bad_lines);
}

Status EventLogReader::HandleBad(std::string report, std::size_t* counter) {
  if (options_.bad_lines == BadLinePolicy::kStrict) return Status::InvalidArgument(report);
  ++*counter;
  if (stats_.bad_line_reports.size() < options_.max_reported_bad_lines) {
    stats_.bad_line_reports.push_back(std::move(report));
  }
  return Status::Ok();
}

}  // namespace botify::eventlog
