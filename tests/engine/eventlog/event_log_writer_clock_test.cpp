// The segment writer on a manual clock (tests/fake_env.h, set_manual_clock): every wait
// and every age goes through the Env, so time passes only when the test advances it and
// nothing here sleeps. A test waits for the writer to be back in its wait (its round
// done) instead.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "engine/eventlog/event_log_writer.h"
#include "engine/eventlog/log_layout.h"
#include "tests/fake_env.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::FakeEnv;
using namespace std::chrono_literals;

namespace {

eventlog::EventLogOptions ManualOptions(FakeEnv* env) {
  env->set_manual_clock(true);
  eventlog::EventLogOptions o;
  o.dir = "/logs";
  o.host = "h1";
  o.flush_interval = 20ms;
  o.max_segment_age = 60s;
  o.env = env;
  return o;
}

// True once the writer waits again after at least `rounds` more waits began: a round it
// started before then is over. Bounded (the writer thread only has to get scheduled).
bool WriterIdleAfter(FakeEnv& env, std::uint64_t begun_before, std::uint64_t rounds = 1) {
  return testing::WaitUntil(
      [&] { return env.waits_begun() >= begun_before + rounds && env.waiting() == 1; },
      std::chrono::seconds(30));
}

std::uint64_t Files(FakeEnv& env, const std::string& dir) {
  auto files = env.ListFiles(dir);
  REQUIRE(files.ok());
  return files->size();
}

// A writer on a manual clock, started and idle in its first wait.
struct ManualWriter {
  FakeEnv env;  // outlives the writer
  std::unique_ptr<eventlog::EventLogWriter> writer;

  ManualWriter() {
    auto started = eventlog::EventLogWriter::Start(ManualOptions(&env), 1);
    REQUIRE(started.ok());
    writer = std::move(*started);
    REQUIRE(WriterIdleAfter(env, 0));
  }
  // Moves the clock and returns once the writer's round for it is done.
  void Advance(std::chrono::nanoseconds by) {
    const std::uint64_t begun = env.waits_begun();
    env.Advance(by);
    REQUIRE(WriterIdleAfter(env, begun));
  }
};

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
  CHECK(Files(w.env, eventlog::SealedDir("/logs")) == 1);
  CHECK(Files(w.env, eventlog::ActiveDir("/logs")) == 0);
}
