// The bounded mode of user-based CF (UserBasedOptions::candidates_per_track) against the
// exact computation and against a hand-computed capped case.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "engine/train/ub/capped_track_index.h"
#include "engine/train/ub/user_based_cf.h"
#include "tests/engine/train/ub/ub_test_logs.h"

using namespace botify;
using namespace botify::train::ub;
using namespace botify::train::ub::testing;

namespace {

std::vector<UserList> Train(const InteractionMatrix& m, const UserBasedOptions& options,
                            UserBasedStats* stats = nullptr) {
  auto lists = TrainUserBased(m, options, {}, stats);
  REQUIRE(lists.ok());
  return std::move(lists).value();
}

// Bit for bit: same tracks, same scores.
void CheckIdentical(const std::vector<UserList>& got, const std::vector<UserList>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t u = 0; u < want.size(); ++u) {
    INFO("user " << want[u].user);
    CHECK(got[u].user == want[u].user);
    CHECK(got[u].tracks == want[u].tracks);
    CHECK(got[u].scores == want[u].scores);
  }
}

std::size_t MostUsersOfATrack(const InteractionMatrix& m) {
  std::size_t most = 0;
  for (std::size_t t = 0; t < m.num_tracks(); ++t) {
    most = std::max<std::size_t>(most, m.col_offsets[t + 1] - m.col_offsets[t]);
  }
  return most;
}

}  // namespace

TEST_CASE("bounded mode with a cap over every track's users gives the exact lists",
          "[engine][ub]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    const InteractionMatrix m =
        Build(RandomLog(seed, seed == 3 ? 150 : 40, 30, seed == 3 ? 1500 : 500));
    REQUIRE(MostUsersOfATrack(m) > 10);  // the popular tracks link many users
    for (std::size_t k : {5, 100}) {
      for (bool exclude : {false, true}) {
        for (std::size_t neighbours : {0, 3}) {
          UserBasedOptions exact;
          exact.top_k = k;
          exact.exclude_played = exclude;
          exact.neighbours = neighbours;
          exact.shrinkage = seed == 2 ? 2.0 : 0.0;
          UserBasedOptions bounded = exact;
          bounded.candidates_per_track = MostUsersOfATrack(m);
          bounded.threads = static_cast<unsigned>(1 + seed % 3);
          UserBasedStats stats;
          CheckIdentical(Train(m, bounded, &stats), Train(m, exact));
          CHECK(stats.candidate_index_entries == m.num_entries());
        }
      }
    }
  }
}

TEST_CASE("bounded mode scores at most the cap per track of candidates", "[engine][ub]") {
  const InteractionMatrix m = Build(RandomLog(4, 300, 60, 4000));
  const std::size_t cap = 5;
  REQUIRE(MostUsersOfATrack(m) > 4 * cap);
  UserBasedOptions options;
  options.candidates_per_track = cap;
  UserBasedStats capped, exact;
  Train(m, options, &capped);
  Train(m, UserBasedOptions{}, &exact);
  std::size_t longest_row = 0;
  for (std::size_t u = 0; u < m.num_users(); ++u) {
    longest_row = std::max<std::size_t>(longest_row, m.row_offsets[u + 1] - m.row_offsets[u]);
  }
  CHECK(capped.max_candidates <= cap * longest_row);
  CHECK(capped.candidate_pairs <= cap * m.num_entries());
  CHECK(capped.candidate_index_entries < m.num_entries());
  CHECK(capped.neighbour_pairs < exact.neighbour_pairs);
  CHECK(exact.candidate_pairs == 0);
  CHECK(exact.max_candidates == 0);
}

TEST_CASE("bounded mode's neighbours are the users kept for the shared track", "[engine][ub]") {
  // Users 0..9 all play track 100 (time 1) and one track of their own, 200 + u (time 0):
  // R[v, 100] = 0.5, R[v, 200 + v] = -0.5, and every pair's cosine is 0.5. With a cap of 3
  // on track 100, u's neighbours are the kept users K minus u: track 100 scores
  // 0.5 · 0.5 · |K \ {u}|, each neighbour's own track −0.25, every other track 0.
  std::vector<Row> rows;
  for (UserId u = 0; u < 10; ++u) {
    rows.push_back({u, 100, 1.0});
    rows.push_back({u, 200 + u, 0.0});
  }
  const InteractionMatrix m = Build(rows);
  UserBasedOptions options;
  options.candidates_per_track = 3;
  options.candidate_seed = 7;
  const CappedTrackIndex index(m, options.candidates_per_track, options.candidate_seed);
  const auto span = index.Users(0);  // track index 0 is track 100
  const std::vector<std::uint32_t> kept(span.begin(), span.end());
  REQUIRE(kept.size() == 3);
  UserBasedStats stats;
  const auto lists = Train(m, options, &stats);
  CHECK(stats.max_candidates <= 3);
  for (std::uint32_t u = 0; u < 10; ++u) {
    INFO("user " << u);
    const bool is_kept = std::find(kept.begin(), kept.end(), u) != kept.end();
    const std::size_t neighbours = is_kept ? 2 : 3;
    const UserList& l = lists[u];
    REQUIRE(l.tracks.size() == 11);
    CHECK(l.tracks[0] == 100);
    CHECK(l.scores[0] == Approx(0.25 * static_cast<double>(neighbours)));
    std::vector<TrackId> negative;
    for (std::size_t i = 0; i < l.tracks.size(); ++i) {
      if (l.scores[i] < 0) {
        CHECK(l.scores[i] == Approx(-0.25));
        negative.push_back(l.tracks[i]);
      } else if (i > 0) {
        CHECK(l.scores[i] == 0.0);
      }
    }
    std::vector<TrackId> want;
    for (std::uint32_t v : kept) {
      if (v != u) want.push_back(200 + v);
    }
    std::sort(negative.begin(), negative.end());
    CHECK(negative == want);
  }
}

TEST_CASE("bounded mode options are validated", "[engine][ub]") {
  const InteractionMatrix m = Build(RandomLog(5, 20, 10, 100));
  UserBasedOptions options;
  options.candidates_per_track = 4;
  options.method = ScoreMethod::kDense;
  const auto dense = TrainUserBased(m, options);
  CHECK(dense.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(dense.status().message(), Catch::Contains("candidates_per_track"));
  options.method = ScoreMethod::kSparse;
  CHECK(TrainUserBased(m, options).ok());
}
