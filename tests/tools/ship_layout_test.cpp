#include "tools/shipping/ship_layout.h"

#include <catch2/catch.hpp>

using namespace botify;
using namespace botify::tools;

TEST_CASE("ship layouts: folder names and the flag's values", "[tools][ship][layout]") {
  auto name = eventlog::ParseSegmentName("events-edge-1-20240219T081630Z-0badf00d-000042.jsonl");
  REQUIRE(name.ok());
  CHECK(SegmentFolder(ShipLayout::kPlain, *name) == "2024-02-19/edge-1");
  CHECK(SegmentFolder(ShipLayout::kHive, *name) == "day=2024-02-19/host=edge-1");
  CHECK(*ParseShipLayout("hive") == ShipLayout::kHive);
  CHECK(*ParseShipLayout("plain") == ShipLayout::kPlain);
  auto bad = ParseShipLayout("flat");
  REQUIRE(!bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("'flat'"));
}
