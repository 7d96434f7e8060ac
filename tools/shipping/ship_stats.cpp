#include "tools/shipping/ship_stats.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "tools/shipping/durable_file.h"

namespace botify::tools {

ShipStats& ShipStats::operator+=(const ShipStats& other) {
  segments_shipped += other.segments_shipped;
  segments_resumed += other.segments_resumed;
  segments_failed += other.segments_failed;
  bytes_read += other.bytes_read;
  bytes_uploaded += other.bytes_uploaded;
  passes += other.passes;
  return *this;
}

std::string HumanBytes(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string ShipStats::Summary() const {
  return fmt::format("{} shipped, {} already there, {} failed; {} read, {} uploaded",
                     segments_shipped, segments_resumed, segments_failed, HumanBytes(bytes_read),
                     HumanBytes(bytes_uploaded));
}

std::string ShipStats::Prometheus(std::int64_t now_unix_seconds) const {
  std::string out;
  out += "# HELP botify_ship_segments_total Sealed log segments handled by botify logs ship.\n";
  out += "# TYPE botify_ship_segments_total counter\n";
  out += fmt::format("botify_ship_segments_total{{outcome=\"shipped\"}} {}\n", segments_shipped);
  out += fmt::format("botify_ship_segments_total{{outcome=\"resumed\"}} {}\n", segments_resumed);
  out += fmt::format("botify_ship_segments_total{{outcome=\"failed\"}} {}\n", segments_failed);
  out += "# HELP botify_ship_bytes_read_total Local segment bytes shipped.\n";
  out += "# TYPE botify_ship_bytes_read_total counter\n";
  out += fmt::format("botify_ship_bytes_read_total {}\n", bytes_read);
  out += "# HELP botify_ship_bytes_uploaded_total Bytes written to the target.\n";
  out += "# TYPE botify_ship_bytes_uploaded_total counter\n";
  out += fmt::format("botify_ship_bytes_uploaded_total {}\n", bytes_uploaded);
  out += "# HELP botify_ship_passes_total Scans of the sealed folder.\n";
  out += "# TYPE botify_ship_passes_total counter\n";
  out += fmt::format("botify_ship_passes_total {}\n", passes);
  out += "# HELP botify_ship_last_pass_timestamp_seconds When the last scan ended.\n";
  out += "# TYPE botify_ship_last_pass_timestamp_seconds gauge\n";
  out += fmt::format("botify_ship_last_pass_timestamp_seconds {}\n", now_unix_seconds);
  return out;
}

Status WriteMetricsFile(const std::string& path, const ShipStats& stats,
                        std::int64_t now_unix_seconds) {
  const std::string tmp = path + ".tmp";
  BOTIFY_RETURN_IF_ERROR(WriteAndSync(tmp, stats.Prometheus(now_unix_seconds)));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

}  // namespace botify::tools
