// The name of a sealed event-log segment, as the server's log writer makes it:
//
//   events-<host>-<YYYYMMDDTHHMMSSZ open time UTC>-<boot id 8 hex>-<seq 6 digits>.jsonl
//
// Names sort oldest first (for one host). The host may itself contain '-', so the name
// is parsed from the right.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::tools {

// Thread-compatible value type.
struct SegmentName {
  std::string file_name;  // "events-edge1-20240219T081630Z-0badf00d-000042.jsonl"
  std::string host;       // "edge1"
  std::string day;        // "2024-02-19", the UTC day of the open time
};

// True for names the shipper considers at all: "*.jsonl" (everything else in the sealed
// folder, e.g. "*.tmp" or a lock file, is ignored).
bool IsSegmentCandidate(std::string_view file_name);

// Parses a segment file name; the error says which part is malformed.
Result<SegmentName> ParseSegmentName(std::string_view file_name);

}  // namespace botify::tools
