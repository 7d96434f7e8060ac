#include "engine/eventlog/segment_name.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

using namespace botify;
using namespace botify::eventlog;

TEST_CASE("segment names carry the host, the sequence and the UTC day of their open time",
          "[engine][eventlog][segment_name]") {
  const auto opened = std::chrono::system_clock::time_point(std::chrono::seconds(1708330590));
  const std::string file = FormatSegmentName("edge1", 42, opened, "0badf00d");
  CHECK(file == "events-edge1-s000000000042-20240219T081630Z-0badf00d.jsonl");
  auto name = ParseSegmentName(file);
  REQUIRE(name.ok());
  CHECK(name->host == "edge1");
  CHECK(name->seq == 42);
  CHECK(name->day == "2024-02-19");
  CHECK_FALSE(name->per_boot_seq);
  CHECK(SegmentHost("edge-eu/1") == "edge_eu_1");
  CHECK(SegmentHost("") == "host");
}

TEST_CASE("names sort by sequence whatever the open time, and after the earlier form's",
          "[engine][eventlog][segment_name]") {
  using std::chrono::hours;
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1708330590));
  // The wall clock stepped back a day between segments 1 and 2, and again before 3.
  std::vector<std::string> names = {
      FormatSegmentName("h", 3, t - hours(30), "00000003"),
      FormatSegmentName("h", 0, t, "00000001"),
      FormatSegmentName("h", 2, t - hours(24), "00000002"),
      FormatSegmentName("h", 1, t + hours(1), "00000001"),
      "events-h-20991231T235959Z-ffffffff-999999.jsonl",  // earlier form, any time
  };
  std::sort(names.begin(), names.end());
  CHECK(names[0] == "events-h-20991231T235959Z-ffffffff-999999.jsonl");
  for (std::uint64_t i = 0; i < 4; ++i) CHECK(ParseSegmentName(names[i + 1])->seq == i);
}

TEST_CASE("names of the earlier form still parse; a host may contain dashes",
          "[engine][eventlog][segment_name]") {
  auto name = ParseSegmentName("events-edge-eu-1-20240219T081630Z-0badf00d-000042.jsonl");
  REQUIRE(name.ok());
  CHECK(name->host == "edge-eu-1");
  CHECK(name->day == "2024-02-19");
  CHECK(name->seq == 42);
  CHECK(name->per_boot_seq);
  CHECK(name->file_name == "events-edge-eu-1-20240219T081630Z-0badf00d-000042.jsonl");
  CHECK(ParseSegmentName("events-h-20240219T081630Z-0badf00d-1000000.jsonl").ok());
  auto current = ParseSegmentName("events-edge-eu-1-s000000000007-20240219T081630Z-0badf00d.jsonl");
  REQUIRE(current.ok());
  CHECK(current->host == "edge-eu-1");
  CHECK(current->seq == 7);
}

TEST_CASE("malformed segment names are rejected with the part named",
          "[engine][eventlog][segment_name]") {
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
  check("events-h-s42-20240219T081630Z-0badf00d.jsonl", "sequence");
  check("events-h-000000000042-20240219T081630Z-0badf00d.jsonl", "sequence");
  check("events-h-s000000000042-20240219T081630Z-0badf0zz.jsonl", "boot id");
  check("events--s000000000042-20240219T081630Z-0badf00d.jsonl", "host");
}

TEST_CASE("only *.jsonl files are segment candidates", "[engine][eventlog][segment_name]") {
  CHECK(IsSegmentCandidate("events-h-20240219T081630Z-0badf00d-000042.jsonl"));
  CHECK(IsSegmentCandidate("events-h-s000000000042-20240219T081630Z-0badf00d.jsonl"));
  CHECK_FALSE(IsSegmentCandidate("events-h-20240219T081630Z-0badf00d-000042.jsonl.tmp"));
  CHECK_FALSE(IsSegmentCandidate(".botify-ship.lock"));
  CHECK_FALSE(IsSegmentCandidate(".events-x.jsonl"));
  CHECK_FALSE(IsSegmentCandidate(".jsonl"));
}
