// Unit tests of the event-log writer's failure paths on an in-memory Env
// (tests/fake_env.h): failed and short writes are retried in order, the disk-budget figure
// follows the shipper's deletions, and the queue bound sheds and recovers. Waits are
// bounded polls, never fixed sleeps; a case that must show nothing happens for a while
// runs on the manual clock (tests/engine/eventlog/manual_writer.h) and counts writer
// rounds instead of sleeping.
#include "engine/eventlog/event_log_writer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "engine/eventlog/segment_name.h"
#include "tests/engine/eventlog/manual_writer.h"
#include "tests/fake_env.h"
#include "tests/test_support.h"

using namespace botify;
using botify::eventlog::EventLogOptions;
using botify::eventlog::EventLogWriter;
using botify::testing::FakeEnv;
using botify::testing::ManualWriter;
using namespace std::chrono_literals;

namespace {

// The writer flushes every 1 ms here; 10 s is a generous bound under load.
bool WaitFor(const std::function<bool()>& done) {
  return botify::testing::WaitUntil(done, std::chrono::seconds(10));
}

EventLogOptions Options(FakeEnv* env) {
  EventLogOptions o;
  o.dir = "/logs";
  o.host = "h1";
  o.flush_interval = 1ms;
  o.env = env;
  return o;
}

std::string NumberedLines(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += "{\"n\":" + std::to_string(i) + "}\n";
  return out;
}

// Everything under `dir` (sealed and active), oldest segment first.
std::string AllSegments(FakeEnv& env, const std::string& dir) {
  std::string out;
  auto files = env.ListFiles(dir);
  REQUIRE(files.ok());
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) out += env.Contents(dir + "/" + name);
  return out;
}

}  // namespace

TEST_CASE("failed writes are retried in order; nothing is lost or written twice",
          "[engine][event_log]") {
  FakeEnv env;
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  env.set_fail_appends(true);
  (*writer)->Append(0, NumberedLines(0, 100));
  REQUIRE(WaitFor([&] { return env.appends_failed() >= 3; }));
  CHECK((*writer)->stats().events == 0);
  CHECK((*writer)->stats().write_errors >= 1);
  CHECK((*writer)->stats().queued_bytes == NumberedLines(0, 100).size());
  (*writer)->Append(0, NumberedLines(100, 200));  // queued behind the failing lines
  env.set_fail_appends(false);
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 200; }));
  (*writer)->Stop();
  CHECK((*writer)->stats().queued_bytes == 0);
  CHECK((*writer)->stats().lost_events == 0);
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(0, 200));
}

TEST_CASE("a full disk: short writes then ENOSPC; the rest lands once space returns",
          "[engine][event_log]") {
  FakeEnv env;
  auto writer = EventLogWriter::Start(Options(&env), 2);
  REQUIRE(writer.ok());
  const std::string first = NumberedLines(0, 50), second = NumberedLines(50, 100);
  env.set_capacity(env.used() + first.size() / 2 + 3);  // cuts a line in the middle
  (*writer)->Append(0, first);
  REQUIRE(WaitFor([&] { return env.appends_failed() >= 2; }));
  (*writer)->Append(1, second);
  // The lines that fit are counted; the torn one is finished after the disk frees up.
  CHECK((*writer)->stats().bytes == first.size() / 2 + 3);
  env.set_capacity(0);
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 100; }));
  (*writer)->Stop();
  CHECK(AllSegments(env, "/logs/sealed") == first + second);
}

TEST_CASE("the disk-budget figure follows the shipper's deletions down again",
          "[engine][event_log][clock]") {
  ManualWriter w([](EventLogOptions& o) {
    o.disk_budget_bytes = 1024;
    o.sealed_rescan_interval = 5s;
  });
  for (int round = 0; round < 3; ++round) {
    w.writer->Append(0, NumberedLines(round * 100, round * 100 + 100));
    REQUIRE(w.Seal().ok());
  }
  auto stats = w.writer->stats();
  CHECK(stats.sealed_bytes_on_disk == NumberedLines(0, 300).size());
  CHECK(stats.over_budget);
  // The shipper uploads and removes every sealed segment.
  auto sealed = w.env.ListFiles("/logs/sealed");
  REQUIRE(sealed.ok());
  for (const auto& f : *sealed) REQUIRE(w.env.Remove("/logs/sealed/" + f.name).ok());
  // Rounds short of the rescan interval keep the old figure; the round past it rescans.
  w.Advance(4s);
  w.Rounds(3);
  CHECK(w.writer->stats().over_budget);
  CHECK(w.writer->stats().sealed_bytes_on_disk == NumberedLines(0, 300).size());
  w.Advance(1s);
  CHECK_FALSE(w.writer->stats().over_budget);
  CHECK(w.writer->stats().sealed_bytes_on_disk == 0);
}

TEST_CASE(
    "past the queue bound the writer stops accepting, and accepts again once the "
    "disk takes the backlog",
    "[engine][event_log]") {
  FakeEnv env;
  EventLogOptions o = Options(&env);
  o.max_queued_bytes = 4096;
  auto writer = EventLogWriter::Start(o, 1);
  REQUIRE(writer.ok());
  env.set_fail_appends(true);
  const std::string lines = NumberedLines(0, 500);  // > 4 KiB
  (*writer)->Append(0, lines);
  CHECK_FALSE((*writer)->accepting());
  env.set_fail_appends(false);
  REQUIRE(WaitFor([&] { return (*writer)->accepting(); }));
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 500; }));
  (*writer)->Stop();
  CHECK(AllSegments(env, "/logs/sealed") == lines);
}

TEST_CASE("start-up seals a crashed writer's segment up to its last whole line",
          "[engine][event_log]") {
  FakeEnv env;
  const std::string whole = NumberedLines(0, 10000);
  // The torn line is longer than recovery's 64 KiB read-back chunk.
  env.Put("/logs/active/events-h1-20240101T000000Z-0000abcd-000000.jsonl",
          whole + "{\"n\":\"" + std::string(70000, 'x'));
  env.Put("/logs/active/events-h1-20240101T000000Z-0000abcd-000001.jsonl", "{\"torn\":");
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  CHECK(env.Contents("/logs/sealed/events-h1-20240101T000000Z-0000abcd-000000.jsonl") == whole);
  CHECK_FALSE(env.Exists("/logs/sealed/events-h1-20240101T000000Z-0000abcd-000001.jsonl"));
  CHECK_FALSE(env.Exists("/logs/active/events-h1-20240101T000000Z-0000abcd-000001.jsonl"));
  CHECK((*writer)->stats().segments_sealed == 1);
  CHECK((*writer)->stats().sealed_bytes_on_disk == whole.size());
}

TEST_CASE("a second writer on the same folder is refused", "[engine][event_log]") {
  FakeEnv env;
  auto first = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(first.ok());
  auto second = EventLogWriter::Start(Options(&env), 1);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == StatusCode::kUnavailable);
}

namespace {

// The only file in `dir` (a writer's active/), "" if none.
std::string OnlyFile(FakeEnv& env, const std::string& dir) {
  auto files = env.ListFiles(dir);
  if (!files.ok() || files->size() != 1) return "";
  return dir + "/" + (*files)[0].name;
}

}  // namespace

TEST_CASE(
    "the active segment removed from under the writer: its lines are counted lost and the "
    "writer logs on into a new segment",
    "[engine][event_log][folder]") {
  FakeEnv env;
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  (*writer)->Append(0, NumberedLines(0, 100));
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 100; }));
  const std::string active = OnlyFile(env, "/logs/active");
  REQUIRE_FALSE(active.empty());
  REQUIRE(env.Remove(active).ok());
  REQUIRE(WaitFor([&] { return (*writer)->stats().lost_events == 100; }));
  CHECK((*writer)->accepting());
  (*writer)->Append(0, NumberedLines(100, 150));
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 150; }));
  (*writer)->Stop();
  CHECK((*writer)->stats().lost_events == 100);
  CHECK((*writer)->stats().lost_bytes == NumberedLines(0, 100).size());
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(100, 150));
}

TEST_CASE(
    "rm -rf of the log folder: the writer counts what it had written there, recreates and "
    "locks the folder, and logs on",
    "[engine][event_log][folder]") {
  FakeEnv env;
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  (*writer)->Append(0, NumberedLines(0, 50));
  REQUIRE((*writer)->SealNow().ok());  // sealed lines are the shipper's, not lost by the writer
  (*writer)->Append(0, NumberedLines(50, 80));
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 80; }));
  env.RemoveAll("/logs");
  REQUIRE(WaitFor([&] { return (*writer)->stats().lost_events > 0; }));
  (*writer)->Append(0, NumberedLines(80, 100));
  REQUIRE(WaitFor([&] { return (*writer)->stats().events == 100; }));
  // The new folder is locked: a second writer is refused.
  auto second = EventLogWriter::Start(Options(&env), 1);
  CHECK(second.status().code() == StatusCode::kUnavailable);
  (*writer)->Stop();
  CHECK((*writer)->stats().lost_events == 30);
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(80, 100));
}

TEST_CASE(
    "the log folder replaced by one another process holds: the writer stops accepting until "
    "it can take the folder, then writes what waited",
    "[engine][event_log][folder][clock]") {
  ManualWriter w;
  w.writer->Append(0, NumberedLines(0, 10));
  w.Rounds(1);
  REQUIRE(w.writer->stats().events == 10);
  w.env.RemoveAll("/logs", /*hold_new_one=*/true);
  w.Rounds(1);  // the round that notices
  REQUIRE_FALSE(w.writer->accepting());
  CHECK(w.writer->stats().lost_events == 10);
  w.writer->Append(0, NumberedLines(10, 20));  // answered before the writer noticed
  w.Rounds(20);                                // nothing may be written meanwhile
  CHECK(w.writer->stats().events == 10);
  CHECK_FALSE(w.writer->accepting());
  CHECK_FALSE(w.Seal().ok());
  w.env.ReleaseForeignLock("/logs");
  w.Rounds(1);  // the next round takes the folder and writes what waited
  CHECK(w.writer->accepting());
  CHECK(w.writer->stats().events == 20);
  w.writer->Stop();
  CHECK(w.writer->stats().lost_events == 10);
  CHECK(AllSegments(w.env, "/logs/sealed") == NumberedLines(10, 20));
}

TEST_CASE(
    "a seal that cannot rename (sealed/ on another file system) is an error with its cause; "
    "the segment stays in active/ and is sealed once renames work",
    "[engine][event_log][seal]") {
  FakeEnv env;
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  env.set_cross_device("/logs/sealed", true);
  (*writer)->Append(0, NumberedLines(0, 10));
  Status sealed = (*writer)->SealNow();
  REQUIRE_FALSE(sealed.ok());
  CHECK_THAT(sealed.message(),
             Catch::Contains("Invalid cross-device link") && Catch::Contains("was not sealed"));
  CHECK(AllSegments(env, "/logs/active") == NumberedLines(0, 10));
  (*writer)->Append(0, NumberedLines(10, 20));
  CHECK_FALSE((*writer)->SealNow().ok());
  env.set_cross_device("/logs/sealed", false);
  REQUIRE((*writer)->SealNow().ok());
  (*writer)->Stop();
  CHECK((*writer)->stats().unsealed_segments == 0);
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(0, 20));
  CHECK(AllSegments(env, "/logs/active").empty());
}

TEST_CASE("a writer refuses to start on a folder where sealing cannot work, saying how to fix it",
          "[engine][event_log][seal]") {
  FakeEnv env;
  REQUIRE(env.CreateDirs("/logs/sealed").ok());
  env.set_cross_device("/logs/sealed", true);
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE_FALSE(writer.ok());
  CHECK(writer.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(writer.status().message(), Catch::Contains("cannot seal segments") &&
                                            Catch::Contains("Invalid cross-device link") &&
                                            Catch::Contains("plain folder"));
  env.set_cross_device("/logs/sealed", false);
  CHECK(EventLogWriter::Start(Options(&env), 1).ok());
}

namespace {

// Sequence numbers of the segments in `dir`, in name order.
std::vector<std::uint64_t> SeqsInNameOrder(FakeEnv& env, const std::string& dir) {
  auto files = env.ListFiles(dir);
  REQUIRE(files.ok());
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.name);
  std::sort(names.begin(), names.end());
  std::vector<std::uint64_t> seqs;
  for (const auto& name : names) {
    auto parsed = botify::eventlog::ParseSegmentName(name);
    REQUIRE(parsed.ok());
    seqs.push_back(parsed->seq);
  }
  return seqs;
}

}  // namespace

TEST_CASE("segment names sort in the order written across restarts, whatever the wall clock does",
          "[engine][event_log][names]") {
  FakeEnv env;
  int next = 0;
  auto run = [&](std::initializer_list<std::chrono::hours> steps) {
    auto writer = EventLogWriter::Start(Options(&env), 1);
    REQUIRE(writer.ok());
    for (auto step : steps) {
      env.StepWallClock(step);
      (*writer)->Append(0, NumberedLines(next, next + 5));
      next += 5;
      REQUIRE((*writer)->SealNow().ok());
    }
  };
  run({0h, -24h, 2h});
  run({-48h, 0h});
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(0, 25));
  auto seqs = SeqsInNameOrder(env, "/logs/sealed");
  REQUIRE(seqs.size() == 5);
  CHECK(std::is_sorted(seqs.begin(), seqs.end()));
  // The shipper took every segment: the sequence file alone carries the count on.
  auto shipped = env.ListFiles("/logs/sealed");
  REQUIRE(shipped.ok());
  for (const auto& f : *shipped) REQUIRE(env.Remove("/logs/sealed/" + f.name).ok());
  run({-1h});
  run({5h});
  CHECK(AllSegments(env, "/logs/sealed") == NumberedLines(25, 35));
  const auto later = SeqsInNameOrder(env, "/logs/sealed");
  REQUIRE(later.size() == 2);
  CHECK(later[0] > seqs.back());
  CHECK(later[1] > later[0]);
}

TEST_CASE("a damaged sequence file is reported and the segment names in the folder decide",
          "[engine][event_log][names]") {
  FakeEnv env;
  env.Put("/logs/.botify-segment-seq", "garbage");
  env.Put("/logs/sealed/events-h1-s000000000007-20240101T000000Z-0000abcd.jsonl", "{}\n");
  auto writer = EventLogWriter::Start(Options(&env), 1);
  REQUIRE(writer.ok());
  (*writer)->Append(0, NumberedLines(0, 1));
  REQUIRE((*writer)->SealNow().ok());
  CHECK(SeqsInNameOrder(env, "/logs/sealed") == std::vector<std::uint64_t>{7, 8});
}
