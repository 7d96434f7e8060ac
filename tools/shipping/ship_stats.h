// Counters of a shipping run, printed as the summary and written as a Prometheus
// text-format file (for node_exporter's textfile collector) with --metrics.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace botify::tools {

// Thread-compatible value type.
struct ShipStats {
  std::uint64_t segments_shipped = 0;  // uploaded, verified and cleaned up locally
  std::uint64_t segments_resumed = 0;  // found complete at the target (an earlier run's work)
  std::uint64_t segments_failed = 0;   // left in place locally; a later run retries them
  std::uint64_t bytes_read = 0;        // local bytes of shipped and resumed segments
  std::uint64_t bytes_uploaded = 0;    // bytes written to the target (after --gzip)
  std::uint64_t passes = 0;            // scans of the sealed folder (more than 1 with --watch)

  ShipStats& operator+=(const ShipStats& other);

  // "3 shipped, 1 already there, 0 failed; 1.2 MiB read, 310.4 KiB uploaded"
  std::string Summary() const;

  // Prometheus exposition text, counters named botify_ship_*.
  std::string Prometheus(std::int64_t now_unix_seconds) const;
};

// "1.2 MiB".
std::string HumanBytes(std::uint64_t bytes);

// Writes the Prometheus text atomically (temporary file, then rename) to `path`.
Status WriteMetricsFile(const std::string& path, const ShipStats& stats,
                        std::int64_t now_unix_seconds);

}  // namespace botify::tools
