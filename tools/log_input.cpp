#include "tools/log_input.h"

#include <fmt/core.h>

namespace botify::tools {

void AddStrictFlag(CLI::App* cmd, bool* strict) {
  cmd->add_flag("--strict", *strict,
                "Fail on the first malformed log line or truncated gzip file (default: skip, "
                "count and report them)");
}

eventlog::EventLogReaderOptions LogReaderOptions(bool strict) {
  eventlog::EventLogReaderOptions options;
  options.bad_lines = strict ? eventlog::BadLinePolicy::kStrict : eventlog::BadLinePolicy::kSkip;
  return options;
}

Status CheckLogInput(const std::string& command, const std::string& logs,
                     const eventlog::EventLogStats& stats) {
  for (const auto& report : stats.bad_line_reports) {
    fmt::print(stderr, "botify {}: skipped {}\n", command, report);
  }
  const std::size_t unreported =
      stats.bad_lines + stats.truncated_files - stats.bad_line_reports.size();
  if (unreported > 0) {
    fmt::print(stderr, "botify {}: ... and {} more skipped\n", command, unreported);
  }
  if (stats.rows == 0) {
    return Status::InvalidArgument(fmt::format("no events in {} ({})", logs, stats.Summary()));
  }
  return Status::Ok();
}

}  // namespace botify::tools
