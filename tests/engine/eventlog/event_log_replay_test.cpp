// The event log's bytes, pinned: a fixed sequence of event lines (the server's
// AppendEventJson) goes through the segment writer on an in-memory Env, and the sealed
// segments (names without the random boot id, then contents) must equal a golden file
// written by the writer before it moved from server/ to engine/eventlog/ (issue 34: a
// refactor with no change to what lands on disk). Set BOTIFY_UPDATE_GOLDEN=1 to rewrite
// the golden file after a deliberate format change (docs/contracts.md §7).
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/eventlog/event.h"
#include "engine/eventlog/event_log_writer.h"
#include "engine/eventlog/log_layout.h"
#include "engine/eventlog/segment_name.h"
#include "tests/fake_env.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::FakeEnv;
using namespace std::chrono_literals;

namespace {

const std::string kGolden =
    std::string(BOTIFY_SOURCE_DIR) + "/tests/engine/eventlog/event_log_replay.golden";

// 60 requests of three users over two experiments, /next and /last mixed; small segments
// (1 KiB) so that the sequence spans several of them and cuts fall between lines.
std::string ReplayLines() {
  std::string lines;
  for (int i = 0; i < 60; ++i) {
    const UserId user = 100 + static_cast<UserId>(i % 3);
    const auto kind = i % 4 == 3 ? eventlog::EventKind::kLast : eventlog::EventKind::kNext;
    const std::array<eventlog::LoggedArm, 2> arms = {
        eventlog::LoggedArm{"USER_BASED", eventlog::ArmName(i % 2)},
        eventlog::LoggedArm{"SESSION", eventlog::ArmName(i % 3)}};
    std::optional<TrackId> recommendation;
    if (kind == eventlog::EventKind::kNext) recommendation = static_cast<TrackId>(7 * i % 50);
    eventlog::AppendEventJson(&lines, kind, 1708330590000 + 250 * i, user,
                              static_cast<TrackId>(i % 50), (i % 11) / 10.0, 0.0001 * (i % 7),
                              recommendation, std::span(arms).first(i % 3 == 0 ? 0 : 2));
  }
  return lines;
}

// "== <name with the boot id masked>\n<contents>" for each sealed segment, in name order.
std::string SealedSegments(FakeEnv& env) {
  const std::string sealed = eventlog::SealedDir("/logs");
  auto files = env.ListFiles(sealed);
  REQUIRE(files.ok());
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& name : names) {
    auto parsed = eventlog::ParseSegmentName(name);
    REQUIRE(parsed.ok());
    std::string masked = name;
    const std::size_t boot = masked.rfind('-');
    REQUIRE(boot != std::string::npos);
    masked.replace(boot + 1, 8, "XXXXXXXX");
    out += "== " + masked + "\n" + env.Contents(eventlog::LogPath(sealed, name));
  }
  return out;
}

}  // namespace

TEST_CASE("a fixed event sequence lands in sealed segments byte for byte as before",
          "[engine][event_log][golden]") {
  FakeEnv env;
  eventlog::EventLogOptions o;
  o.dir = "/logs";
  o.host = "edge-1";  // written as "edge_1"
  o.max_segment_bytes = 1024;
  o.flush_interval = 1ms;
  o.env = &env;
  auto writer = eventlog::EventLogWriter::Start(o, 2);
  REQUIRE(writer.ok());
  const std::string lines = ReplayLines();
  // One producer: the order of lines across producers is the writer's to choose.
  (*writer)->Append(0, lines);
  (*writer)->Stop();
  REQUIRE((*writer)->stats().events == 60);
  const std::string actual = SealedSegments(env);
  if (const char* update = std::getenv("BOTIFY_UPDATE_GOLDEN"); update && *update == '1') {
    testing::WriteFile(kGolden, actual);
  }
  CHECK(actual == testing::ReadFile(kGolden));
}
