#include "tools/shipping/ship_stats.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "base/file.h"

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

namespace {

// One metric family: its HELP and TYPE lines and `samples` ("name{labels} value\n"...).
void AppendFamily(std::string* out, std::string_view name, std::string_view type,
                  std::string_view help, const std::string& samples) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{}", name, help, name, type, samples);
}

std::string Sample(std::string_view name, std::string_view labels, std::uint64_t value) {
  return fmt::format("{}{} {}\n", name, labels, value);
}

}  // namespace

std::string ShipStats::Prometheus(std::int64_t now_unix_seconds) const {
  constexpr std::string_view kSegments = "botify_ship_segments_total";
  std::string out;
  AppendFamily(&out, kSegments, "counter", "Sealed log segments handled by botify logs ship.",
               Sample(kSegments, "{outcome=\"shipped\"}", segments_shipped) +
                   Sample(kSegments, "{outcome=\"resumed\"}", segments_resumed) +
                   Sample(kSegments, "{outcome=\"failed\"}", segments_failed));
  const std::pair<std::string_view, std::uint64_t> counters[] = {
      {"botify_ship_bytes_read_total", bytes_read},
      {"botify_ship_bytes_uploaded_total", bytes_uploaded},
      {"botify_ship_passes_total", passes}};
  const char* helps[] = {"Local segment bytes shipped.", "Bytes written to the target.",
                         "Scans of the sealed folder."};
  for (int i = 0; i < 3; ++i) {
    AppendFamily(&out, counters[i].first, "counter", helps[i],
                 Sample(counters[i].first, "", counters[i].second));
  }
  constexpr std::string_view kLast = "botify_ship_last_pass_timestamp_seconds";
  AppendFamily(&out, kLast, "gauge", "When the last scan ended (Unix seconds).",
               Sample(kLast, "", static_cast<std::uint64_t>(now_unix_seconds)));
  return out;
}

Status WriteMetricsFile(const std::string& path, const ShipStats& stats,
                        std::int64_t now_unix_seconds) {
  return WriteFileAtomically(path, stats.Prometheus(now_unix_seconds));
}

}  // namespace botify::tools
