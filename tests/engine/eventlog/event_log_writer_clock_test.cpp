// The segment writer on a manual clock (tests/engine/eventlog/manual_writer.h): time passes
// only when the test advances it and nothing here sleeps.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "engine/eventlog/event_log_writer.h"
#include "engine/eventlog/log_layout.h"
#include "tests/engine/eventlog/manual_writer.h"
#include "tests/fake_env.h"

using namespace botify;
using botify::testing::FakeEnv;
using botify::testing::ManualWriter;
using namespace std::chrono_literals;

namespace {

std::uint64_t Files(FakeEnv& env, const std::string& dir) {
  auto files = env.ListFiles(dir);
  REQUIRE(files.ok());
  return files->size();
}

}  // namespace

TEST_CASE("on a manual clock the writer writes once the flush interval passes, not before",
          "[engine][event_log][clock]") {
  ManualWriter w;
  w.writer->Append(0, "{\"n\":1}\n");
  // The writer waits for its flush deadline on the Env clock: short of it, it wakes, sees
  // time short of the deadline and waits on, the line still queued.
  w.Advance(19ms);
  CHECK(w.writer->stats().events == 0);
  CHECK(w.writer->stats().queued_bytes == 8);
  w.Advance(1ms);
  CHECK(w.writer->stats().events == 1);
  CHECK(w.writer->stats().queued_bytes == 0);
  CHECK(Files(w.env, eventlog::ActiveDir("/logs")) == 1);
}

TEST_CASE("on a manual clock a segment seals when its age passes on the Env clock",
          "[engine][event_log][clock]") {
  ManualWriter w;
  w.writer->Append(0, "{\"n\":1}\n");
  w.Advance(20ms);
  REQUIRE(w.writer->stats().events == 1);
  // 59 s later the segment is still young; at 60 s it is sealed.
  w.Advance(59s);
  CHECK(w.writer->stats().segments_sealed == 0);
  CHECK(Files(w.env, eventlog::SealedDir("/logs")) == 0);
  w.Advance(1s);
  CHECK(w.writer->stats().segments_sealed == 1);
  CHECK(Files(w.env, eventlog::ActiveDir("/logs")) == 0);
  auto sealed = w.env.ListFiles(eventlog::SealedDir("/logs"));
  REQUIRE(sealed.ok());
  REQUIRE(sealed->size() == 1);
  // Named after its sequence number and the Env's wall clock when it opened (FakeEnv
  // starts at this time; the segment opened 20 ms later).
  CHECK_THAT((*sealed)[0].name, Catch::StartsWith("events-h1-s000000000000-20240219T081630Z-"));
  CHECK(w.env.Contents(eventlog::SealedDir("/logs") + "/" + (*sealed)[0].name) == "{\"n\":1}\n");
}
