#include "engine/train/session/listening_sessions.h"

#include <catch2/catch.hpp>
#include <vector>

#include "engine/eventlog/event.h"
#include "tests/engine/train/event_rows.h"

using namespace botify;
using botify::testing::Row;
using botify::train::session::ListeningSessionBuilder;
using botify::train::session::ListeningSessions;
using botify::train::session::ListeningSessionStats;

namespace {

std::vector<TrackId> Tracks(const ListeningSessions& s, std::size_t i) {
  return {s.Tracks(i).begin(), s.Tracks(i).end()};
}
std::vector<float> Times(const ListeningSessions& s, std::size_t i) {
  return {s.Times(i).begin(), s.Times(i).end()};
}

}  // namespace

TEST_CASE("listening sessions: per user, sorted stably by time, closed by last",
          "[engine][session]") {
  ListeningSessionBuilder builder;
  builder.Add(Row(2, 5, 11, 1.0));
  builder.Add(Row(2, 5, 12, 0.5));  // same timestamp: input order
  builder.Add(Row(1, 30, 9, 0.25));
  builder.Add(Row(1, 10, 5, 1.0));  // out of order in the input
  builder.Add(Row(1, 20, 7, 0.5));
  builder.Add(Row(1, 40, 7, 0.0, /*last=*/true));  // the last row's track is the session's too
  builder.Add(Row(2, 6, 13, 0.125, /*last=*/true));
  builder.Add(Row(1, 50, 3, 1.0));
  builder.Add(Row(1, 70, 4, 0.75, /*last=*/true));
  builder.Add(Row(1, 80, 8, 1.0));  // after user 1's final last: unused
  builder.Add(Row(3, 1, 2, 1.0));   // user 3 never closes a session

  ListeningSessionStats stats;
  const ListeningSessions s = builder.Finish(&stats);
  REQUIRE(s.size() == 3);
  CHECK(s.users == std::vector<UserId>{1, 1, 2});
  CHECK(Tracks(s, 0) == std::vector<TrackId>{5, 7, 9, 7});
  CHECK(Times(s, 0) == std::vector<float>{1.0f, 0.5f, 0.25f, 0.0f});
  CHECK(Tracks(s, 1) == std::vector<TrackId>{3, 4});
  CHECK(Tracks(s, 2) == std::vector<TrackId>{11, 12, 13});
  CHECK(Times(s, 2) == std::vector<float>{1.0f, 0.5f, 0.125f});
  CHECK(s.offsets == std::vector<std::uint64_t>{0, 4, 6, 9});
  CHECK(stats.rows == 11);
  CHECK(stats.users == 3);
  CHECK(stats.sessions == 3);
  CHECK(stats.rows_after_last == 2);
  CHECK(stats.max_track == 13);

  CHECK(builder.Finish(&stats).size() == 0);  // empty afterwards
  CHECK(stats.rows == 0);
}
