#include "engine/ab/sessionizer.h"

#include <catch2/catch.hpp>

#include "tests/ab_support.h"

using namespace botify;
using namespace botify::ab;
using botify::testing::AbLast;
using botify::testing::AbNext;

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
  SessionizedLog log = s.Finish();
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
  SessionizedLog log = s.Finish();
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
  SessionizedLog log = s.Finish();
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
  SessionizedLog log = s.Finish();
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
  SessionizedLog log = s.Finish();
  CHECK(Find(log, 9, 0).tracks == 2);
  CHECK(Find(log, 9, 1).tracks == 2);
  CHECK(log.HighestArm() == 1);
}
