// Partials of a sharded A/B analysis (engine/ab/ab_partial.h): N shards, written, read back
// and merged, are bit for bit the single Sessionizer's log, and a set that is not one run
// is refused by name.
#include "engine/ab/ab_partial.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "tests/ab_support.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::ab;
using botify::testing::AbEvent;
using botify::testing::AbLast;
using botify::testing::AbNext;
using botify::testing::TempDir;

namespace {

// Random rows of 400 users in 3 arms with coarse timestamps (many ties), rows without the
// experiment, unknown arms and times whose sums are not exact in binary.
std::vector<eventlog::Event> RandomRows(unsigned seed, int rows) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<UserId> user(1, 400);
  std::uniform_int_distribution<std::int64_t> ts(0, 3000);
  std::uniform_real_distribution<double> time(0, 1);
  const char* arms[] = {"C", "T1", "T2", "T9"};
  std::vector<eventlog::Event> out;
  for (int i = 0; i < rows; ++i) {
    const UserId u = user(rng);
    std::string arm = arms[u % 3];
    if (i % 97 == 0) arm = arms[3];  // unknown arm
    if (i % 89 == 0) arm = "";       // no experiment
    const auto kind = rng() % 7 == 0 ? eventlog::EventKind::kLast : eventlog::EventKind::kNext;
    out.push_back(AbEvent(kind, ts(rng), u, time(rng), time(rng) / 100, arm));
  }
  return out;
}

SessionizedLog Sessionize(const std::vector<eventlog::Event>& rows, SessionizerOptions options,
                          bool all_rows = false) {
  Sessionizer s = all_rows ? Sessionizer::ForAllRows(options) : Sessionizer("EXP", options);
  for (const auto& e : rows) s.Add(e);
  s.AddMalformed(3);
  return s.Finish().value();
}

// Shard `shard` of the rows, written to a file and read back.
AbPartial ShardPartial(const std::vector<eventlog::Event>& rows,
                       const std::vector<eventlog::Event>& pre, KeyShard shard,
                       const std::string& path) {
  AbPartial p{.experiment = "EXP", .shard = shard, .logs = "L", .pre_logs = "P"};
  p.log = Sessionize(rows, {.users = shard, .keep_sessions = true});
  p.pre_period = Sessionize(pre, {.users = shard}, /*all_rows=*/true);
  REQUIRE(WriteAbPartial(path, p).ok());
  auto read = ReadAbPartial(path);
  INFO(read.status().message());
  REQUIRE(read.ok());
  return std::move(*read);
}

void CheckTotalsEqual(const std::vector<UserArmTotals>& a, const std::vector<UserArmTotals>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("totals " << i);
    CHECK(a[i].user == b[i].user);
    CHECK(a[i].arm == b[i].arm);
    CHECK(a[i].sessions == b[i].sessions);
    CHECK(a[i].tracks == b[i].tracks);
    CHECK(a[i].time == b[i].time);  // bit for bit
    CHECK(a[i].latency_ms == b[i].latency_ms);
  }
}

void CheckLogsEqual(const SessionizedLog& a, const SessionizedLog& b) {
  CheckTotalsEqual(a.totals, b.totals);
  for (int arm = 0; arm < eventlog::kMaxArms; ++arm) {
    INFO("arm " << arm);
    CHECK(a.arms[arm].users == b.arms[arm].users);
    CHECK(a.arms[arm].sessions == b.arms[arm].sessions);
    CHECK(a.arms[arm].rows == b.arms[arm].rows);
    CHECK(a.series[arm].sessions == b.series[arm].sessions);
    CHECK(a.series[arm].tracks == b.series[arm].tracks);
    CHECK(a.series[arm].time == b.series[arm].time);  // the same sums in the same order
  }
  CHECK(a.rows_read == b.rows_read);
  CHECK(a.dropped.no_experiment == b.dropped.no_experiment);
  CHECK(a.dropped.unknown_arm == b.dropped.unknown_arm);
  CHECK(a.dropped.after_final_last == b.dropped.after_final_last);
  CHECK(a.dropped.malformed == b.dropped.malformed);
  CHECK(a.experiments_seen == b.experiments_seen);
}

std::vector<std::string> Names(std::size_t n) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back("part" + std::to_string(i));
  return names;
}

}  // namespace

TEST_CASE("N shards written, read and merged are the single sessionizer's log bit for bit",
          "[engine][ab][shard]") {
  TempDir dir;
  const auto rows = RandomRows(5, 30000);
  const auto pre = RandomRows(6, 10000);
  const SessionizedLog single = Sessionize(rows, {});
  const SessionizedLog single_pre = Sessionize(pre, {}, /*all_rows=*/true);
  REQUIRE(single.dropped.unknown_arm > 0);
  REQUIRE(single.dropped.no_experiment > 0);
  for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
    INFO(n << " shards");
    std::vector<AbPartial> partials;
    // Given in reverse: the merge does not depend on the order of its inputs.
    for (std::uint32_t i = n; i-- > 0;) {
      partials.push_back(ShardPartial(rows, pre, {i, n}, dir / ("p" + std::to_string(i))));
    }
    auto merged = MergeAbPartials(std::move(partials), Names(n));
    INFO(merged.status().message());
    REQUIRE(merged.ok());
    CHECK(merged->shard == KeyShard{});
    CHECK(merged->logs == "L");
    CHECK(merged->pre_logs == "P");
    CheckLogsEqual(merged->log, single);
    REQUIRE(merged->pre_period.has_value());
    CheckTotalsEqual(merged->pre_period->totals, single_pre.totals);
    CHECK(merged->pre_period->rows_read == single_pre.rows_read);
  }
}

TEST_CASE("a shard's sessionizer counts every row read but only its users' drops",
          "[engine][ab][shard]") {
  const auto rows = RandomRows(8, 5000);
  const SessionizedLog single = Sessionize(rows, {});
  std::int64_t no_experiment = 0;
  for (std::uint32_t i = 0; i < 3; ++i) {
    const SessionizedLog shard = Sessionize(rows, {.users = {i, 3}});
    CHECK(shard.rows_read == single.rows_read);
    CHECK(shard.experiments_seen == single.experiments_seen);
    for (const UserArmTotals& t : shard.totals) CHECK(KeyShard::Of(t.user, 3) == i);
    no_experiment += shard.dropped.no_experiment;
  }
  CHECK(no_experiment == single.dropped.no_experiment);
}

TEST_CASE("merging partials that are not one run is refused, naming the files",
          "[engine][ab][shard]") {
  TempDir dir;
  const auto rows = RandomRows(9, 3000);
  const auto pre = RandomRows(10, 1000);
  auto shard = [&](std::uint32_t i, std::uint32_t n) {
    return ShardPartial(rows, pre, {i, n}, dir / "p");
  };
  auto message = [](std::vector<AbPartial> partials) {
    const std::size_t n = partials.size();
    auto merged = MergeAbPartials(std::move(partials), Names(n));
    REQUIRE_FALSE(merged.ok());
    return merged.status().message();
  };
  CHECK_THAT(message({shard(0, 3), shard(2, 3)}),
             Catch::Contains("shard 1/3 is missing: 2 partials given, the run has 3 shards"));
  CHECK_THAT(message({shard(0, 3), shard(1, 3), shard(1, 3)}),
             Catch::Contains("part1 and part2 are both shard 1/3"));
  CHECK_THAT(message({shard(0, 3), shard(1, 2)}),
             Catch::Contains("part1 is shard 1/2 but part0 is shard 0/3"));
  AbPartial other_logs = shard(1, 2);
  other_logs.log.rows_read += 1;
  CHECK_THAT(message({shard(0, 2), other_logs}),
             Catch::Contains("part0 and part1 disagree on the rows read"));
  AbPartial other_experiment = shard(1, 2);
  other_experiment.experiment = "OTHER";
  CHECK_THAT(message({shard(0, 2), other_experiment}),
             Catch::Contains("disagree on the experiment"));
  AbPartial no_pre = shard(1, 2);
  no_pre.pre_period.reset();
  no_pre.pre_logs.clear();
  CHECK_THAT(message({shard(0, 2), no_pre}), Catch::Contains("disagree on --pre-logs"));
}

TEST_CASE("a damaged partial file is refused with its line and field", "[engine][ab][shard]") {
  TempDir dir;
  const auto rows = RandomRows(11, 2000);
  const AbPartial p = ShardPartial(rows, rows, {1, 2}, dir / "good");
  const std::string text = botify::testing::ReadFile(dir / "good");
  const auto first_line_end = text.find('\n');
  const auto second_line_end = text.find('\n', first_line_end + 1);
  auto error = [&](const std::string& body) {
    botify::testing::WriteFile(dir / "bad", body);
    auto r = ReadAbPartial(dir / "bad");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  // Cut after the second line: the header's counts are not met.
  CHECK_THAT(error(text.substr(0, second_line_end + 1)), Catch::Contains("truncated"));
  // A time that is not a number, on line 2.
  const std::string bad_time = "u " + std::to_string(p.log.totals[0].user) + " " +
                               std::to_string(p.log.totals[0].arm) + " 0 0 x 0";
  CHECK_THAT(error(text.substr(0, first_line_end + 1) + bad_time + "\n"),
             Catch::Contains("bad:2: time: 'x' is not a number"));
  // A user of another shard.
  UserId foreign = 0;
  while (KeyShard::Of(foreign, 2) == 1) ++foreign;
  CHECK_THAT(
      error(text.substr(0, first_line_end + 1) + "u " + std::to_string(foreign) + " 0 0 0 0 0\n"),
      Catch::Contains("does not belong to shard 1/2"));
  // Sessions that do not add up to the totals.
  CHECK_THAT(error(text.substr(0, first_line_end + 1) + "u " +
                   std::to_string(p.log.totals[0].user) + " 0 1 5 1 0 4 1\n"),
             Catch::Contains("the sessions do not add up to the totals"));
  CHECK_THAT(error("{\"x\": 1}\n"), Catch::Contains("not a partial from `botify ab --partial`"));
  CHECK_THAT(error(""), Catch::Contains("empty file"));
}
