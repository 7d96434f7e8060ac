#include "engine/ab/sessionizer.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>

#include "tests/ab_support.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::ab;
using botify::testing::AbLast;
using botify::testing::AbNext;
using botify::testing::TempDir;

namespace {

const UserArmTotals& Find(const SessionizedLog& log, UserId user, int arm) {
  for (const auto& t : log.totals) {
    if (t.user == user && t.arm == arm) return t;
  }
  FAIL("no totals for user " << user << " arm " << arm);
  throw;
}

}  // namespace

TEST_CASE("rows form sessions closed by last, sorted by timestamp", "[engine][ab]") {
  Sessionizer s("EXP");
  // Out of time order on input; sorted they are n(10) n(20) L(30) n(40) L(50) n(60).
  s.Add(AbNext(40, 7, 0.4, "T1", 0.004));
  s.Add(AbNext(10, 7, 1.0, "T1", 0.001));
  s.Add(AbLast(30, 7, 0.3, "T1", 0.003));
  s.Add(AbNext(60, 7, 0.9, "T1", 0.006));
  s.Add(AbNext(20, 7, 0.2, "T1", 0.002));
  s.Add(AbLast(50, 7, 0.5, "T1", 0.005));
  SessionizedLog log = s.Finish().value();
  const auto& t = Find(log, 7, 1);
  CHECK(t.sessions == 2);
  CHECK(t.tracks == 5);
  CHECK(t.time == Approx(1.0 + 0.2 + 0.3 + 0.4 + 0.5).epsilon(1e-12));
  CHECK(t.latency_ms == Approx(1 + 2 + 3 + 4 + 5).epsilon(1e-12));
  CHECK(log.dropped.after_final_last == 1);
  CHECK(log.arms[1].users == 1);
  CHECK(log.arms[1].sessions == 2);
  CHECK(log.arms[1].rows == 5);
  // Session series: first session 3 tracks, second 2.
  REQUIRE(log.series[1].sessions.size() == 2);
  CHECK(log.series[1].tracks[0] == 3);
  CHECK(log.series[1].tracks[1] == 2);
  CHECK(log.series[1].time[1] == Approx(0.9));
}

TEST_CASE("rows with equal timestamps keep their input order", "[engine][ab]") {
  // Same timestamp: input order n, L, n. A stable sort closes a 2-track session and
  // drops the trailing next; any other order would give 1 or 3 tracks.
  Sessionizer s("EXP");
  s.Add(AbNext(100, 1, 0.5, "C"));
  s.Add(AbLast(100, 1, 0.25, "C"));
  s.Add(AbNext(100, 1, 0.125, "C"));
  // The same pattern repeated on many users interleaved, so a non-stable sort of a larger
  // array would have a chance to reorder ties.
  for (int k = 0; k < 200; ++k) {
    for (UserId u = 2; u < 40; ++u) {
      if (k % 2 == 0)
        s.Add(AbNext(5, u, 0.5, "C"));
      else
        s.Add(AbLast(5, u, 0.25, "C"));
    }
  }
  SessionizedLog log = s.Finish().value();
  const auto& t = Find(log, 1, 0);
  CHECK(t.sessions == 1);
  CHECK(t.tracks == 2);
  CHECK(t.time == 0.75);
  for (UserId u = 2; u < 40; ++u) {
    CHECK(Find(log, u, 0).sessions == 100);
    CHECK(Find(log, u, 0).time == Approx(75.0));
  }
  CHECK(log.dropped.after_final_last == 1);
}

TEST_CASE("a user and arm with no closed session still counts with zero sessions", "[engine][ab]") {
  Sessionizer s("EXP");
  s.Add(AbNext(1, 3, 0.7, "C"));
  s.Add(AbNext(2, 3, 0.6, "C"));
  SessionizedLog log = s.Finish().value();
  const auto& t = Find(log, 3, 0);
  CHECK(t.sessions == 0);
  CHECK(t.tracks == 0);
  CHECK(t.time == 0);
  CHECK(t.latency_ms == 0);
  CHECK(log.arms[0].users == 1);
  CHECK(log.arms[0].rows == 0);
  CHECK(log.dropped.after_final_last == 2);
}

TEST_CASE("rows are dropped by reason and experiment names are collected", "[engine][ab]") {
  Sessionizer s("EXP");
  s.Add(AbNext(1, 1, 0.5, ""));  // no experiment at all
  s.Add(botify::testing::AbEvent(eventlog::EventKind::kNext, 1, 1, 0.5, 0, "C", "OTHER"));
  s.Add(AbNext(1, 1, 0.5, "B"));   // not an arm name
  s.Add(AbNext(1, 1, 0.5, "T9"));  // beyond T8
  s.AddMalformed();
  s.Add(AbLast(2, 1, 0.5, "C"));
  SessionizedLog log = s.Finish().value();
  CHECK(log.rows_read == 6);
  CHECK(log.dropped.no_experiment == 2);
  CHECK(log.dropped.unknown_arm == 2);
  CHECK(log.dropped.malformed == 1);
  CHECK(log.dropped.after_final_last == 0);
  CHECK(log.dropped.total() == 5);
  CHECK(log.experiments_seen == std::vector<std::string>{"EXP", "OTHER"});
  CHECK(log.HighestArm() == 0);
  CHECK(log.totals.size() == 1);
}

TEST_CASE("one user in two arms is two independent groups", "[engine][ab]") {
  Sessionizer s("EXP");
  s.Add(AbNext(1, 9, 0.5, "C"));
  s.Add(AbNext(2, 9, 0.5, "T1"));
  s.Add(AbLast(3, 9, 0.5, "C"));
  s.Add(AbLast(4, 9, 0.5, "T1"));
  SessionizedLog log = s.Finish().value();
  CHECK(Find(log, 9, 0).tracks == 2);
  CHECK(Find(log, 9, 1).tracks == 2);
  CHECK(log.HighestArm() == 1);
}

TEST_CASE("a sessionizer that spills to disk gives exactly the in-memory result", "[engine][ab]") {
  TempDir dir;
  Sessionizer in_memory("EXP");
  // 32-byte rows: a 16 KiB budget spills runs of 341 rows, 40,000 rows make ~117 runs,
  // so the sorter's run limit (64) also merges runs on the way.
  Sessionizer spilled("EXP",
                      {.spill = {.memory_budget_bytes = 16 * 1024, .spill_dir = dir.path()}});
  std::mt19937 rng(11);
  std::uniform_int_distribution<UserId> user(1, 300);
  std::uniform_int_distribution<std::int64_t> ts(0, 2000);  // coarse: many equal timestamps
  std::uniform_real_distribution<double> time(0, 1);
  const char* arms[] = {"C", "T1", "T2"};
  for (int i = 0; i < 40000; ++i) {
    const UserId u = user(rng);
    const std::string arm = arms[(u + static_cast<UserId>(i % 7 == 0)) % 3];
    const auto e = rng() % 6 == 0 ? AbLast(ts(rng), u, time(rng), arm, time(rng) / 100)
                                  : AbNext(ts(rng), u, time(rng), arm, time(rng) / 100);
    in_memory.Add(e);
    spilled.Add(e);
  }
  CHECK(spilled.spill_stats().runs_spilled > 64);
  const SessionizedLog a = in_memory.Finish().value();
  const SessionizedLog b = spilled.Finish().value();
  REQUIRE(a.totals.size() == b.totals.size());
  for (std::size_t i = 0; i < a.totals.size(); ++i) {
    INFO("totals " << i);
    CHECK(a.totals[i].user == b.totals[i].user);
    CHECK(a.totals[i].arm == b.totals[i].arm);
    CHECK(a.totals[i].sessions == b.totals[i].sessions);
    CHECK(a.totals[i].tracks == b.totals[i].tracks);
    CHECK(a.totals[i].time == b.totals[i].time);  // bit for bit: the same sums in the same order
    CHECK(a.totals[i].latency_ms == b.totals[i].latency_ms);
  }
  for (int arm = 0; arm < 3; ++arm) {
    CHECK(a.arms[arm].users == b.arms[arm].users);
    CHECK(a.arms[arm].sessions == b.arms[arm].sessions);
    CHECK(a.arms[arm].rows == b.arms[arm].rows);
    CHECK(a.series[arm].sessions == b.series[arm].sessions);
    CHECK(a.series[arm].tracks == b.series[arm].tracks);
    CHECK(a.series[arm].time == b.series[arm].time);
  }
  CHECK(a.dropped.after_final_last == b.dropped.after_final_last);
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a spill failure is reported by Finish, naming the folder", "[engine][ab]") {
  TempDir dir;
  Sessionizer s("EXP", {.spill = {.memory_budget_bytes = 1024, .spill_dir = dir.path() / "gone"}});
  for (int i = 0; i < 200; ++i) s.Add(AbNext(i, 1, 0.5, "C"));
  CHECK(s.status().code() == StatusCode::kIoError);
  auto log = s.Finish();
  REQUIRE_FALSE(log.ok());
  CHECK_THAT(log.status().message(), Catch::Contains("gone"));
}
