#include "engine/eventlog/event_fast_parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/random.h"

using namespace botify;

namespace {

bool SameEvent(const eventlog::Event& a, const eventlog::Event& b) {
  return a.kind == b.kind && a.timestamp_ms == b.timestamp_ms && a.user == b.user &&
         a.track == b.track && a.time == b.time && a.latency == b.latency &&
         a.recommendation == b.recommendation && a.experiments == b.experiments;
}

// The contract: whenever the fast parser accepts a line, the DOM parser accepts it too
// and yields the same Event.
void CheckAgreesWithDom(eventlog::FastEventParser& fast, const std::string& line) {
  eventlog::Event e;
  e.experiments.emplace_back("STALE", "C");  // storage reuse must not leak old values
  e.recommendation = 12345;
  e.latency = 9;
  const bool accepted = fast.Parse(line, &e);
  auto dom = eventlog::ParseEventWithDom(line);
  INFO(line);
  if (accepted) {
    REQUIRE(dom.ok());
    CHECK(SameEvent(e, *dom));
  }
  auto via_public = eventlog::ParseEvent(line);
  REQUIRE(via_public.ok() == dom.ok());
  if (dom.ok()) CHECK(SameEvent(*via_public, *dom));
}

const char* kValid =
    R"({"message": "next", "timestamp": 1708329390469, "user": 5650, "track": 16053, )"
    R"("time": 0.8, "latency": 0.0214, "recommendation": 1817, )"
    R"("experiments": {"USER_BASED": "T1", "AA": "C"}})";

}  // namespace

TEST_CASE("fast event parser accepts the server's lines with the DOM parser's values",
          "[engine][event]") {
  eventlog::FastEventParser fast;
  eventlog::Event e;
  REQUIRE(fast.Parse(kValid, &e));
  CHECK(e.user == 5650);
  CHECK(e.timestamp_ms == 1708329390469);
  CHECK(e.time == 0.8);
  REQUIRE(e.experiments.size() == 2);
  CHECK(e.experiments[1] == std::pair<std::string, std::string>("AA", "C"));
  CheckAgreesWithDom(fast, kValid);
}

TEST_CASE("fast event parser matches the DOM parser on edge cases", "[engine][event]") {
  eventlog::FastEventParser fast;
  const std::vector<std::string> lines = {
      R"({"message": "last", "timestamp": 1, "user": 2, "track": 3, "time": 1, "latency": 0.0, "recommendation": null, "experiments": {}})",
      R"({"user": 4294967295, "track": 0, "time": 0, "timestamp": 1.9, "message": "next"})",
      R"({"user": 4294967296, "track": 0, "time": 0, "timestamp": 1, "message": "next"})",
      R"({"user": -1, "track": 0, "time": 0, "timestamp": 1, "message": "next"})",
      R"({"user": -0, "track": 0, "time": -0.5, "timestamp": -7, "message": "next"})",
      R"({"user": 1.0, "track": 0, "time": 0, "timestamp": 1, "message": "next"})",
      R"({"user": "1", "track": 0, "time": 0, "timestamp": 1, "message": "next"})",
      R"({"user": 1, "track": 0, "time": "0", "timestamp": 1, "message": "next"})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "skip"})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "ne\u0078t"})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1})",
      R"({"user": 1, "user": 2, "track": 0, "time": 0, "timestamp": 1, "message": "next"})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "extra": {"a": [1, {"b": null}], "c": true}})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": null})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": []})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": {"A": 1}})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": {"A": {"x": "y"}}})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": {"A": "C", "A": "T1"}})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "experiments": {"A\"B": "T\n1"}})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "recommendation": -3})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "recommendation": "3"})",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next", "latency": null})",
      R"({"user": 1, "track": 0, "time": 1e400, "timestamp": 1, "message": "next"})",
      R"(  {"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next"}  )",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next"} x)",
      R"({"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next"}{})",
      R"([{"user": 1, "track": 0, "time": 0, "timestamp": 1, "message": "next"}])",
      R"("next")",
      "42",
      "",
      "{",
      "{}",
      "null",
  };
  for (const auto& line : lines) CheckAgreesWithDom(fast, line);
}

TEST_CASE("fast event parser agrees with the DOM parser on randomly mutated lines",
          "[engine][event]") {
  eventlog::FastEventParser fast;
  Rng rng(7);
  const std::string base = kValid;
  const std::string alphabet = "{}[]\":,. -0123456789eEnulltrx\\";
  for (int i = 0; i < 5000; ++i) {
    std::string line = base;
    const int edits = 1 + static_cast<int>(rng.Uniform(3));
    for (int k = 0; k < edits; ++k) {
      const std::size_t pos = rng.Uniform(line.size());
      const char c = alphabet[rng.Uniform(alphabet.size())];
      switch (rng.Uniform(3)) {
        case 0:
          line[pos] = c;
          break;
        case 1:
          line.insert(line.begin() + static_cast<std::ptrdiff_t>(pos), c);
          break;
        default:
          line.erase(pos, 1);
          break;
      }
    }
    CheckAgreesWithDom(fast, line);
  }
}

TEST_CASE("a declined line leaves nothing behind for the next one", "[engine][event]") {
  eventlog::FastEventParser fast;
  eventlog::Event e;
  // Declined inside a key and inside a string, with partial text buffered.
  CHECK_FALSE(fast.Parse(R"({"t\u0041)", &e));
  CHECK_FALSE(fast.Parse(R"({"message": "ne\u0041)", &e));
  // "ime" is an unknown field here: "time" is missing, so the line must be declined.
  CHECK_FALSE(
      fast.Parse(R"({"message": "next", "timestamp": 1, "user": 1, "track": 1, "ime": 0.5})", &e));
  CHECK_FALSE(fast.Parse(R"({"t)", &e));
  CHECK_FALSE(
      fast.Parse(R"({"ime": 0.5, "message": "next", "timestamp": 1, "user": 1, "track": 1})", &e));
  REQUIRE(fast.Parse(kValid, &e));
  CHECK(e.user == 5650);
}
