// The name of an event-log segment (docs/contracts.md §7), written by the server's log
// writer and read by the shipper and every reader of shipped logs; this file is its one
// owner.
//
//   events-<host>-s<seq, 12 digits>-<YYYYMMDDTHHMMSSZ open time UTC>-<boot id, 8 hex>.jsonl
//
// <seq> counts up per log folder and survives restarts (the writer keeps the next one in
// the folder), so the names of one host's segments sort oldest first whatever the wall
// clock does; the open time only gives the segment its UTC day. Names of the earlier form
//
//   events-<host>-<YYYYMMDDTHHMMSSZ>-<boot id>-<seq, 6+ digits>.jsonl   (seq from 0 each boot)
//
// are still read; they sort by open time, and before every name of the current form ('s'
// sorts after the digits an open time starts with). The host may contain '-' in names
// written elsewhere, so a name is parsed from the right.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::eventlog {

// Thread-compatible value type.
struct SegmentName {
  std::string file_name;  // "events-edge1-s000000000042-20240219T081630Z-0badf00d.jsonl"
  std::string host;       // "edge1"
  std::string day;        // "2024-02-19", the UTC day of the open time
  std::uint64_t seq = 0;  // 42
  // The earlier form, whose <seq> restarted at each boot (so it orders one boot only).
  bool per_boot_seq = false;
};

// The host as it goes into names: every character outside [A-Za-z0-9.] becomes '_' (so
// a written name never has a '-' in its host), and an empty host becomes "host".
std::string SegmentHost(std::string_view host);

// The current form's name. `host` must already be SegmentHost()'s; `boot_id` 8 hex digits.
std::string FormatSegmentName(std::string_view host, std::uint64_t seq,
                              std::chrono::system_clock::time_point opened,
                              std::string_view boot_id);

// True for names the shipper considers at all: "*.jsonl" not starting with '.' (anything
// else in a sealed folder, e.g. "*.tmp" or a lock file, is ignored).
bool IsSegmentCandidate(std::string_view file_name);

// Parses a segment file name of either form; the error says which part is malformed.
Result<SegmentName> ParseSegmentName(std::string_view file_name);

}  // namespace botify::eventlog
