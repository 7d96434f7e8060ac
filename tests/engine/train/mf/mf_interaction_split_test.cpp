#include "engine/train/mf/interaction_split.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace botify;
using namespace botify::train::mf;

namespace {

eventlog::Event Row(UserId user, TrackId track, double time) {
  eventlog::Event e;
  e.user = user;
  e.track = track;
  e.time = time;
  return e;
}

std::vector<UserTrack> Rows(std::initializer_list<std::pair<UserId, TrackId>> pairs) {
  std::vector<UserTrack> out;
  for (const auto& [u, t] : pairs) out.push_back({u, t});
  return out;
}

}  // namespace

TEST_CASE("positives are time > 0.8, de-duplicated, split ceil(30%) to test",
          "[engine][mf][split]") {
  std::vector<eventlog::Event> events;
  for (TrackId t = 0; t < 10; ++t) {
    events.push_back(Row(1, t, 0.9));
    events.push_back(Row(1, t, 1.0));  // duplicate (user, track)
  }
  events.push_back(Row(2, 0, 0.8));   // not > 0.8
  events.push_back(Row(2, 1, 0.81));  // positive
  InteractionSplitOptions options;
  options.min_user_positives = 1;
  options.min_item_positives = 1;
  std::vector<UserTrack> positives;
  for (const eventlog::Event& e : events) {
    if (IsPositive(e, options)) positives.push_back({e.user, e.track});
  }
  REQUIRE(positives.size() == 21);
  std::vector<UserTrack> train, test;
  SplitPositives(positives, options, &train, &test);
  CHECK(train.size() + test.size() == 11);
  CHECK(test.size() == 4);  // ceil(11 * 0.3) = ceil(3.3)

  SECTION("the split depends on the seed, not on the input order") {
    std::vector<UserTrack> reversed(positives.rbegin(), positives.rend());
    std::vector<UserTrack> train2, test2;
    SplitPositives(reversed, options, &train2, &test2);
    CHECK(test2 == test);
    options.seed = 7;
    std::vector<UserTrack> train3, test3;
    SplitPositives(positives, options, &train3, &test3);
    CHECK(test3 != test);
  }
  SECTION("exactly 30% when it divides") {
    positives.resize(20);  // user 1's 10 unique tracks, twice
    positives.insert(positives.end(), positives.begin(), positives.end());
    SplitPositives(positives, options, &train, &test);
    CHECK(test.size() == 3);
    CHECK(train.size() == 7);
  }
}

TEST_CASE("users and tracks need 5 unfiltered train positives, applied to train and test",
          "[engine][mf][split]") {
  const auto train = Rows({{1, 10}, {1, 11}, {1, 12}, {1, 13}, {1, 14},    // user 1: 5
                           {2, 10}, {2, 11}, {2, 12}, {2, 13}, {2, 14},    // user 2: 5
                           {3, 10}, {3, 11}, {3, 12}, {3, 13}, {3, 99},    // user 3: 5
                           {4, 10}, {4, 11}, {4, 12}, {4, 13},             // user 4: 4
                           {5, 10}, {5, 11}, {5, 12}, {5, 13}, {5, 14}});  // user 5: 5
  // Track counts: 10..13 have 5 each, 14 has 3, 99 has 1.
  const auto test = Rows({{1, 20}, {4, 10}, {3, 12}, {2, 99}, {5, 13}, {2, 14}});
  auto split = FilterByTrainCounts(train, test, InteractionSplitOptions{});
  REQUIRE(split.ok());
  // User 3 keeps its place although its track 99 goes: counts are taken before filtering.
  CHECK(split->user_ids == std::vector<UserId>{1, 2, 3, 5});
  CHECK(split->track_ids == std::vector<TrackId>{10, 11, 12, 13});
  CHECK(split->train.nnz() == 16);
  for (std::uint32_t u = 0; u < 4; ++u) CHECK(split->train.Row(u).size() == 4);
  CHECK(split->test.nnz() == 2);  // (3, 12) and (5, 13)
  CHECK(split->test.Contains(2, 2));
  CHECK(split->test.Contains(3, 3));
  CHECK(split->counts.train_unfiltered == 24);
  CHECK(split->counts.test_unfiltered == 6);
}

TEST_CASE("a log with no usable positives is an error that says why", "[engine][mf][split]") {
  const std::vector<eventlog::Event> events = {Row(1, 1, 1.0), Row(1, 2, 0.5)};
  auto split = BuildInteractionSplit(events, InteractionSplitOptions{});
  REQUIRE_FALSE(split.ok());
  CHECK_THAT(split.status().message(), Catch::Contains("no train positives left"));
}
