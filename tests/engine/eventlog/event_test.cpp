#include "engine/eventlog/event.h"

#include <catch2/catch.hpp>
#include <string>

#include "engine/eventlog/event_fast_parser.h"

using namespace botify;

TEST_CASE("event lines have exactly the docs/contracts.md §7 fields in order", "[engine][event]") {
  std::string line;
  eventlog::LoggedArm arms[] = {{"USER_BASED", "T1"}, {"AA", "C"}};
  eventlog::AppendEventJson(&line, eventlog::EventKind::kNext, 1708329390469, 5650, 16053, 0.8,
                            0.0214, 1817, arms);
  CHECK(line == R"({"message": "next", "timestamp": 1708329390469, "user": 5650, "track": 16053, )"
                R"("time": 0.8, "latency": 0.0214, "recommendation": 1817, )"
                R"("experiments": {"USER_BASED": "T1", "AA": "C"}})"
                "\n");
}

TEST_CASE("last events have a null recommendation and integral times stay floats",
          "[engine][event]") {
  std::string line;
  eventlog::AppendEventJson(&line, eventlog::EventKind::kLast, 1, 2, 3, 1.0, 0.0, std::nullopt, {});
  CHECK(line == R"({"message": "last", "timestamp": 1, "user": 2, "track": 3, "time": 1.0, )"
                R"("latency": 0.0, "recommendation": null, "experiments": {}})"
                "\n");
}

TEST_CASE("a written event parses back to the same values", "[engine][event]") {
  std::string line;
  eventlog::LoggedArm arms[] = {{"PERSONALIZED", "T1"}};
  eventlog::AppendEventJson(&line, eventlog::EventKind::kNext, 1700000000123, 7, 42, 0.37, 0.000153,
                            99, arms);
  auto e = eventlog::ParseEvent(line);
  REQUIRE(e.ok());
  CHECK(e->kind == eventlog::EventKind::kNext);
  CHECK(e->timestamp_ms == 1700000000123);
  CHECK(e->user == 7);
  CHECK(e->track == 42);
  CHECK(e->time == 0.37);
  CHECK(e->latency == 0.000153);
  CHECK(e->recommendation == std::optional<TrackId>(99));
  REQUIRE(e->ArmOf("PERSONALIZED") != nullptr);
  CHECK(*e->ArmOf("PERSONALIZED") == "T1");
  CHECK(e->ArmOf("AA") == nullptr);
}

TEST_CASE("malformed event lines are rejected with the field named", "[engine][event]") {
  auto bad = eventlog::ParseEvent(
      R"({"message": "next", "timestamp": 1, "user": -1, "track": 1, "time": 0.5})");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("user"));
  CHECK_FALSE(eventlog::ParseEvent("{not json").ok());
  CHECK_FALSE(eventlog::ParseEvent(
                  R"({"message": "skip", "timestamp": 1, "user": 1, "track": 1, "time": 0})")
                  .ok());
}

// Found by fuzz/fuzz_event_line: a timestamp beyond int64 was converted with a cast that
// is undefined behaviour (UBSan: "inf is outside the range of representable values").
TEST_CASE("timestamps that do not fit in int64 milliseconds are rejected by both parsers",
          "[engine][event]") {
  for (const char* ts : {"1e300", "1e400", "-1e400", "9223372036854775808", "-9.3e18"}) {
    const std::string line = std::string(R"({"message": "next", "timestamp": )") + ts +
                             R"(, "user": 1, "track": 1, "time": 0.5})";
    INFO(line);
    eventlog::FastEventParser fast;
    eventlog::Event e;
    CHECK_FALSE(fast.Parse(line, &e));
    auto dom = eventlog::ParseEventWithDom(line);
    REQUIRE_FALSE(dom.ok());
    CHECK_THAT(dom.status().message(), Catch::Contains("timestamp"));
    CHECK_FALSE(eventlog::ParseEvent(line).ok());
  }
  // The edges that fit are still read, truncated toward zero.
  auto low = eventlog::ParseEvent(
      R"({"message": "next", "timestamp": -9.2e18, "user": 1, "track": 1, "time": 0})");
  REQUIRE(low.ok());
  CHECK(low->timestamp_ms == -9200000000000000000);
  auto high = eventlog::ParseEvent(
      R"({"message": "last", "timestamp": 9223372036854774784, "user": 1, "track": 1, "time": 0})");
  REQUIRE(high.ok());
  CHECK(high->timestamp_ms == 9223372036854774784);
  auto fraction = eventlog::ParseEvent(
      R"({"message": "last", "timestamp": -1.9, "user": 1, "track": 1, "time": 0})");
  REQUIRE(fraction.ok());
  CHECK(fraction->timestamp_ms == -1);
}
