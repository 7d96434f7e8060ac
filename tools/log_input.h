// How every `botify` command that reads event logs treats bad input, so that they agree:
// the same --strict flag, the same report of what was skipped (malformed lines, gzip
// files cut mid-stream), and the same failure, InvalidArgument (exit code 2), when the
// logs hold no event at all.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "base/status.h"
#include "engine/eventlog/event_log_reader.h"

namespace botify::tools {

// Adds --strict to `cmd`, stored in *strict.
void AddStrictFlag(CLI::App* cmd, bool* strict);

// Reader options for --strict (fail on the first bad line or truncated file) or not
// (skip, count and report them).
eventlog::EventLogReaderOptions LogReaderOptions(bool strict);

// After a read: prints "botify <command>: skipped <file:line: reason>" for the reported bad
// lines and truncated files, and returns InvalidArgument "no events in <logs> (...)" when
// no row was read.
Status CheckLogInput(const std::string& command, const std::string& logs,
                     const eventlog::EventLogStats& stats);

}  // namespace botify::tools
