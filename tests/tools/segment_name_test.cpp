#include "tools/shipping/segment_name.h"

#include <catch2/catch.hpp>

using namespace botify;
using namespace botify::tools;

TEST_CASE("segment names give the UTC day and a host that may contain dashes", "[tools][ship]") {
  auto name = ParseSegmentName("events-edge-eu-1-20240219T081630Z-0badf00d-000042.jsonl");
  REQUIRE(name.ok());
  CHECK(name->host == "edge-eu-1");
  CHECK(name->day == "2024-02-19");
  CHECK(name->file_name == "events-edge-eu-1-20240219T081630Z-0badf00d-000042.jsonl");
  CHECK(ParseSegmentName("events-h-20240219T081630Z-0badf00d-1000000.jsonl").ok());
}

TEST_CASE("malformed segment names are rejected with the part named", "[tools][ship]") {
  auto check = [](const char* file, const char* part) {
    auto name = ParseSegmentName(file);
    REQUIRE_FALSE(name.ok());
    CHECK_THAT(name.status().message(), Catch::Contains(part));
  };
  check("events-h-20240219T081630Z-0badf00d-42.jsonl", "sequence");
  check("events-h-20240219T081630Z-0badf0zz-000042.jsonl", "boot id");
  check("events-h-20241319T081630Z-0badf00d-000042.jsonl", "open time");
  check("events-h-2024-02-19-0badf00d-000042.jsonl", "open time");
  check("events--20240219T081630Z-0badf00d-000042.jsonl", "host");
  check("logs-h-20240219T081630Z-0badf00d-000042.jsonl", "expected events-");
}

TEST_CASE("only *.jsonl files are segment candidates", "[tools][ship]") {
  CHECK(IsSegmentCandidate("events-h-20240219T081630Z-0badf00d-000042.jsonl"));
  CHECK_FALSE(IsSegmentCandidate("events-h-20240219T081630Z-0badf00d-000042.jsonl.tmp"));
  CHECK_FALSE(IsSegmentCandidate(".botify-ship.lock"));
  CHECK_FALSE(IsSegmentCandidate(".events-x.jsonl"));
  CHECK_FALSE(IsSegmentCandidate(".jsonl"));
}
