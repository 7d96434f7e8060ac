// Where a sealed segment goes under the shipping target: the folder of its day and host.
//
//   plain:  TARGET/<YYYY-MM-DD>/<host>/<segment>            (the default)
//   hive:   TARGET/day=<YYYY-MM-DD>/host=<host>/<segment>
//
// The hive layout is the partition naming Hive, Spark and Presto discover by themselves
// (`spark.read.json(TARGET)` gets the columns `day` and `host` without a manifest). Every
// botify reader of shipped logs (engine/eventlog/event_log_reader.h) reads a folder of any
// nesting, so it reads both layouts alike. The folder is a function of the segment's name
// alone, so a segment has exactly one place per layout.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/eventlog/segment_name.h"

namespace botify::tools {

enum class ShipLayout { kPlain, kHive };

// Every layout, for checks that a segment is not already at the target in another one.
inline constexpr ShipLayout kAllShipLayouts[] = {ShipLayout::kPlain, ShipLayout::kHive};

// "2024-02-19/edge1" (kPlain) or "day=2024-02-19/host=edge1" (kHive).
std::string SegmentFolder(ShipLayout layout, const eventlog::SegmentName& name);

// "plain" or "hive"; the error names the accepted values.
Result<ShipLayout> ParseShipLayout(std::string_view text);

}  // namespace botify::tools
