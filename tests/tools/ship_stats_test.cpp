#include "tools/shipping/ship_stats.h"

#include <catch2/catch.hpp>

using namespace botify::tools;

TEST_CASE("ship stats add up and render as a summary and Prometheus text", "[tools][ship]") {
  ShipStats a{3, 1, 0, 3 << 20, 1 << 20, 1};
  const ShipStats b{1, 0, 2, 1 << 20, 512, 1};
  a += b;
  CHECK(a.Summary() == "4 shipped, 1 already there, 2 failed; 4.0 MiB read, 1.0 MiB uploaded");
  const std::string text = a.Prometheus(1700000000);
  CHECK_THAT(text, Catch::Contains("# TYPE botify_ship_segments_total counter\n"
                                   "botify_ship_segments_total{outcome=\"shipped\"} 4\n"));
  CHECK_THAT(text, Catch::Contains("botify_ship_segments_total{outcome=\"failed\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("botify_ship_bytes_uploaded_total 1049088\n"));
  CHECK_THAT(text, Catch::Contains("botify_ship_passes_total 2\n"));
  CHECK_THAT(text, Catch::EndsWith("botify_ship_last_pass_timestamp_seconds 1700000000\n"));
  CHECK(HumanBytes(1023) == "1023 B");
}
