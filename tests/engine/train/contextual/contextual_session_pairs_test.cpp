#include <catch2/catch.hpp>
#include <vector>

#include "engine/eventlog/event.h"
#include "engine/train/contextual/session_pairs.h"
#include "tests/engine/train/event_rows.h"

using namespace botify;
using botify::testing::Row;
using botify::train::contextual::ContextPair;
using botify::train::contextual::SessionPairBuilder;
using botify::train::contextual::SessionPairStats;

TEST_CASE("session pairs: first track x later tracks, sorted stably, repeats skipped",
          "[engine][contextual]") {
  SessionPairBuilder builder;
  // User 2's rows come first in the input; two of them share a timestamp (input order).
  builder.Add(Row(2, 5, 11, 1.0));
  builder.Add(Row(2, 5, 12, 0.5));
  // User 1, out of timestamp order in the input.
  builder.Add(Row(1, 30, 9, 0.25));
  builder.Add(Row(1, 10, 5, 1.0));
  builder.Add(Row(1, 20, 7, 0.5));
  builder.Add(Row(1, 40, 7, 0.0, /*last=*/true));  // 7 again: a repeat, skipped
  builder.Add(Row(2, 6, 13, 0.125, /*last=*/true));
  builder.Add(Row(1, 50, 3, 1.0));
  builder.Add(Row(1, 60, 3, 0.0));  // the context again: skipped
  builder.Add(Row(1, 70, 4, 0.75, /*last=*/true));
  builder.Add(Row(1, 80, 8, 1.0));  // after user 1's final last: unused

  SessionPairStats stats;
  const std::vector<ContextPair> pairs = builder.Finish(&stats);
  const std::vector<ContextPair> expected = {
      {5, 7, 0.5f}, {5, 9, 0.25f}, {3, 4, 0.75f}, {11, 12, 0.5f}, {11, 13, 0.125f}};
  CHECK(pairs == expected);
  CHECK(stats.rows == 11);
  CHECK(stats.users == 2);
  CHECK(stats.sessions == 3);
  CHECK(stats.pairs == 5);
  CHECK(stats.self_targets == 1);
  CHECK(stats.repeated_targets == 1);
  CHECK(stats.rows_after_last == 1);
  CHECK(stats.max_track == 13);

  // The builder is empty afterwards.
  CHECK(builder.Finish(&stats).empty());
  CHECK(stats.rows == 0);
}

TEST_CASE("session pairs: a one-row session and a user without a last give no pairs",
          "[engine][contextual]") {
  SessionPairBuilder builder;
  builder.Add(Row(1, 1, 5, 1.0, /*last=*/true));
  builder.Add(Row(2, 1, 6, 1.0));
  builder.Add(Row(2, 2, 7, 1.0));
  SessionPairStats stats;
  CHECK(builder.Finish(&stats).empty());
  CHECK(stats.sessions == 1);
  CHECK(stats.rows_after_last == 2);
}
