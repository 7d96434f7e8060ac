// The event-log folder's layout (docs/contracts.md §7): the one place that names its
// subfolders and the files besides the segments. The writer (engine/eventlog/
// event_log_writer.h), the shipper (tools/shipping/) and the tests all use these; no other
// file spells them (tests/layering pins that for server/ and tools/).
//
//   <dir>/active/                 the one segment being written (never shipped)
//   <dir>/sealed/                 sealed segments, for the shipper
//   <dir>/.botify-writer.lock     the writer's pid (informational; the lock is an flock
//                                 on <dir> itself, engine/eventlog/log_folder.h)
//   <dir>/.botify-segment-seq     the next segment sequence number
//                                 (engine/eventlog/segment_sequence.h)
//   <dir>/sealed/.botify-ship.lock  held by the one shipper of a sealed folder
//
// Segment names inside active/ and sealed/: engine/eventlog/segment_name.h.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace botify::eventlog {

inline constexpr std::string_view kActiveDirName = "active";
inline constexpr std::string_view kSealedDirName = "sealed";
inline constexpr std::string_view kWriterLockFileName = ".botify-writer.lock";
inline constexpr std::string_view kSegmentSeqFileName = ".botify-segment-seq";
inline constexpr std::string_view kShipLockFileName = ".botify-ship.lock";
// The writer's start-up probe that sealing (a rename active/ -> sealed/) works; the boot
// id follows. Starts with '.', so the shipper never takes it for a segment.
inline constexpr std::string_view kSealProbePrefix = ".botify-seal-probe-";
// The holder's name in the writer lock's "held by" message.
inline constexpr std::string_view kWriterHolderKind = "botify-server";

// "<dir>/<name>" for a log folder `dir` (any of the names above).
inline std::string LogPath(std::string_view dir, std::string_view name) {
  return (std::filesystem::path(dir) / name).string();
}

// <dir>/active and <dir>/sealed.
inline std::string ActiveDir(std::string_view dir) { return LogPath(dir, kActiveDirName); }
inline std::string SealedDir(std::string_view dir) { return LogPath(dir, kSealedDirName); }

}  // namespace botify::eventlog
