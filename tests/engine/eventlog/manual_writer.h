// An EventLogWriter on FakeEnv's manual clock (tests/fake_env.h, set_manual_clock) for the
// writer's unit tests: every wait and every age goes through the Env, so time passes only
// when the test advances it and nothing sleeps. A test waits for the writer to be back in
// its wait (its round done) instead of for time.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "engine/eventlog/event_log_writer.h"
#include "tests/fake_env.h"
#include "tests/test_support.h"

namespace botify::testing {

// True once the writer waits again after at least `rounds` more waits began: a round it
// started before then is over. Bounded (the writer thread only has to get scheduled).
inline bool WriterIdleAfter(FakeEnv& env, std::uint64_t begun_before, std::uint64_t rounds = 1) {
  return WaitUntil([&] { return env.waits_begun() >= begun_before + rounds && env.waiting() == 1; },
                   std::chrono::seconds(30));
}

// A writer of one producer on a manual clock writing to /logs for host h1, flushing every
// kFlush and sealing at 60 s; started and idle in its first wait. Thread-compatible: one
// test thread drives it.
struct ManualWriter {
  static constexpr std::chrono::milliseconds kFlush{20};

  // `tweak` may change the options (not env) before the writer starts.
  explicit ManualWriter(const std::function<void(eventlog::EventLogOptions&)>& tweak = {}) {
    env.set_manual_clock(true);
    eventlog::EventLogOptions o;
    o.dir = "/logs";
    o.host = "h1";
    o.flush_interval = kFlush;
    o.max_segment_age = std::chrono::seconds(60);
    if (tweak) tweak(o);
    o.env = &env;
    auto started = eventlog::EventLogWriter::Start(o, 1);
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
  // Runs `rounds` flush rounds, one kFlush apart.
  void Rounds(int rounds) {
    for (int i = 0; i < rounds; ++i) Advance(kFlush);
  }
  // SealNow, then waits for the writer to be back in its wait (SealNow returns as the
  // writer's round reports, before the round ends).
  Status Seal() {
    Status sealed = writer->SealNow();
    REQUIRE(WaitUntil([&] { return env.waiting() == 1; }, std::chrono::seconds(30)));
    return sealed;
  }

  FakeEnv env;  // outlives the writer
  std::unique_ptr<eventlog::EventLogWriter> writer;
};

}  // namespace botify::testing
