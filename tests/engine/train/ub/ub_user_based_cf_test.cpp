#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "engine/train/ub/user_based_cf.h"
#include "tests/engine/train/ub/ub_test_logs.h"

using namespace botify;
using namespace botify::train::ub;
using namespace botify::train::ub::testing;

namespace {

std::vector<UserList> Train(const std::vector<Row>& rows, const UserBasedOptions& options) {
  auto lists = TrainUserBased(Build(rows), options);
  REQUIRE(lists.ok());
  return std::move(lists).value();
}

template <typename T>
std::vector<T> Distinct(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The seminar's dense computation, written independently with plain loops over full
// users x tracks and users x users matrices.
std::vector<UserList> DenseReference(const std::vector<Row>& rows, std::size_t top_k,
                                     bool exclude_played = false) {
  std::vector<UserId> users;
  std::vector<TrackId> tracks;
  for (const Row& r : rows) {
    users.push_back(r.user);
    tracks.push_back(r.track);
  }
  users = Distinct(users);
  tracks = Distinct(tracks);
  const std::size_t nu = users.size(), nt = tracks.size();
  auto ui = [&](UserId u) {
    return std::lower_bound(users.begin(), users.end(), u) - users.begin();
  };
  auto ti = [&](TrackId t) {
    return std::lower_bound(tracks.begin(), tracks.end(), t) - tracks.begin();
  };
  std::vector<double> sum(nu, 0), count(nu, 0);
  for (const Row& r : rows) {
    sum[ui(r.user)] += r.time;
    count[ui(r.user)] += 1;
  }
  std::vector<std::vector<double>> cell_sum(nu, std::vector<double>(nt, 0));
  std::vector<std::vector<double>> cell_n(nu, std::vector<double>(nt, 0));
  for (const Row& r : rows) {
    const auto u = ui(r.user);
    cell_sum[u][ti(r.track)] += r.time - sum[u] / count[u];
    cell_n[u][ti(r.track)] += 1;
  }
  std::vector<std::vector<double>> R(nu, std::vector<double>(nt, 0));
  for (std::size_t u = 0; u < nu; ++u)
    for (std::size_t t = 0; t < nt; ++t)
      if (cell_n[u][t] > 0) R[u][t] = cell_sum[u][t] / cell_n[u][t];
  std::vector<double> norm(nu, 0);
  for (std::size_t u = 0; u < nu; ++u) {
    for (std::size_t t = 0; t < nt; ++t) norm[u] += R[u][t] * R[u][t];
    norm[u] = std::sqrt(norm[u]);
  }
  std::vector<UserList> out(nu);
  for (std::size_t u = 0; u < nu; ++u) {
    std::vector<double> W(nu, 0);
    for (std::size_t v = 0; v < nu; ++v) {
      if (v == u || norm[u] == 0 || norm[v] == 0) continue;  // sklearn: zero rows -> 0
      double dot = 0;
      for (std::size_t t = 0; t < nt; ++t) dot += R[u][t] * R[v][t];
      W[v] = dot / (norm[u] * norm[v]);
    }
    std::vector<double> score(nt, 0);
    for (std::size_t t = 0; t < nt; ++t)
      for (std::size_t v = 0; v < nu; ++v) score[t] += W[v] * R[v][t];
    std::vector<std::size_t> order(nt);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    out[u].user = users[u];
    if (exclude_played) {
      std::erase_if(order, [&](std::size_t t) { return cell_n[u][t] > 0; });
    }
    for (std::size_t i = 0; i < std::min(top_k, order.size()); ++i) {
      out[u].tracks.push_back(tracks[order[i]]);
      out[u].scores.push_back(score[order[i]]);
    }
  }
  return out;
}

void CheckSame(const std::vector<UserList>& got, const std::vector<UserList>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t u = 0; u < want.size(); ++u) {
    INFO("user " << want[u].user);
    CHECK(got[u].user == want[u].user);
    CHECK(got[u].tracks == want[u].tracks);
    REQUIRE(got[u].scores.size() == want[u].scores.size());
    for (std::size_t i = 0; i < want[u].scores.size(); ++i) {
      CHECK(got[u].scores[i] == Approx(want[u].scores[i]).margin(1e-9));
    }
  }
}

}  // namespace

const ScoreMethod kMethods[] = {ScoreMethod::kAuto, ScoreMethod::kSparse, ScoreMethod::kDense};

TEST_CASE("sparse user-based CF equals the dense computation on random logs", "[engine][ub]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    // 150 users: more than one block of 64, and a last partial block.
    const auto log = RandomLog(seed, seed == 3 ? 150 : 40, 30, seed == 3 ? 1500 : 500);
    for (std::size_t k : {5, 100}) {
      for (ScoreMethod method : kMethods) {
        UserBasedOptions options;
        options.top_k = k;
        options.threads = static_cast<unsigned>(1 + seed % 3);
        options.method = method;
        CheckSame(Train(log, options), DenseReference(log, k));
        options.exclude_played = true;
        CheckSame(Train(log, options), DenseReference(log, k, true));
      }
    }
  }
}

TEST_CASE("the result does not depend on the number of threads", "[engine][ub]") {
  const auto log = RandomLog(9, 200, 100, 3000);
  UserBasedOptions one;
  UserBasedOptions four;
  four.threads = 4;
  const auto a = Train(log, one);
  const auto b = Train(log, four);
  REQUIRE(a.size() == b.size());
  for (std::size_t u = 0; u < a.size(); ++u) {
    CHECK(a[u].tracks == b[u].tracks);
    CHECK(a[u].scores == b[u].scores);
  }
}

namespace {
// Users 1 and 2 have identical rows (similarity 1); user 3 shares no track with them;
// user 4 has a single row, so an all-zero row (norm 0).
const std::vector<Row> kTies = {
    {1, 30, 1.0}, {1, 10, 1.0}, {1, 20, 0.0}, {1, 40, 0.0}, {2, 30, 1.0}, {2, 10, 1.0},
    {2, 20, 0.0}, {2, 40, 0.0}, {3, 5, 1.0},  {3, 6, 0.0},  {4, 10, 0.3},
};
}  // namespace

TEST_CASE("ties go by track id; zero scores come before negative ones", "[engine][ub]") {
  UserBasedOptions options;
  for (ScoreMethod method : kMethods) {
    options.method = method;
    const auto lists = Train(kTies, options);
    REQUIRE(lists.size() == 4);
    CHECK(lists[0].tracks == std::vector<TrackId>{10, 30, 5, 6, 20, 40});
    CHECK(lists[0].scores == std::vector<double>{0.5, 0.5, 0, 0, -0.5, -0.5});
    // No neighbour at all: every score is 0, lowest ids first.
    CHECK(lists[2].tracks == std::vector<TrackId>{5, 6, 10, 20, 30, 40});
    // The zero-norm user has similarity 0 to everyone (sklearn's behaviour), not NaN.
    CHECK(lists[3].tracks == std::vector<TrackId>{5, 6, 10, 20, 30, 40});
    CHECK(lists[3].scores == std::vector<double>(6, 0.0));
  }
}

TEST_CASE("optional exclude-played, neighbours and shrinkage", "[engine][ub]") {
  UserBasedOptions options;
  options.exclude_played = true;
  for (ScoreMethod method : kMethods) {
    options.method = method;
    CHECK(Train(kTies, options)[0].tracks == std::vector<TrackId>{5, 6});
    CHECK(Train(kTies, options)[3].tracks == std::vector<TrackId>{5, 6, 20, 30, 40});
  }

  // User 5 is like user 1 but weaker; with one neighbour user 1 keeps only user 2.
  auto log = kTies;
  log.push_back({5, 30, 1.0});
  log.push_back({5, 20, 0.0});
  log.push_back({5, 99, 1.0});
  options = {};
  const auto all = Train(log, options)[0];
  CHECK(std::count(all.tracks.begin(), all.tracks.begin() + 3, 99) == 1);
  options.neighbours = 1;
  const auto one = Train(log, options)[0];
  CHECK(one.tracks[0] == 10);
  CHECK(one.scores[0] == 0.5);  // only user 2's row; track 99 scores 0
  CHECK(std::find(one.tracks.begin(), one.tracks.begin() + 2, 99) == one.tracks.begin() + 2);

  options = {};
  options.shrinkage = 4;  // 4 common tracks: weight 1 * 4 / (4 + 4)
  CHECK(Train(kTies, options)[0].scores[0] == Approx(0.25));
}

TEST_CASE("invalid options are rejected", "[engine][ub]") {
  UserBasedOptions options;
  options.top_k = 0;
  CHECK_FALSE(TrainUserBased(Build(kTies), options).ok());
  options = {};
  options.shrinkage = -1;
  CHECK_FALSE(TrainUserBased(Build(kTies), options).ok());
  options = {};
  options.threads = 0;
  CHECK(TrainUserBased(Build(kTies), options).status().code() == StatusCode::kInvalidArgument);
  options = {};
  options.users_shard = {3, 3};
  CHECK(TrainUserBased(Build(kTies), options).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("users shards 1, 2, 3 and 7 together are the unsharded lists, bit for bit",
          "[engine][ub][shard]") {
  const auto log = RandomLog(12, 200, 80, 3000);
  for (std::size_t candidates : {std::size_t{0}, std::size_t{5}}) {
    UserBasedOptions options;
    options.neighbours = candidates > 0 ? 20 : 0;
    options.candidates_per_track = candidates;
    options.threads = 2;
    const auto whole = Train(log, options);
    for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
      INFO(n << " shards, candidates per track " << candidates);
      std::vector<UserList> merged;
      for (std::uint32_t i = 0; i < n; ++i) {
        options.users_shard = {i, n};
        auto part = Train(log, options);
        for (const UserList& l : part) CHECK(KeyShard::Of(l.user, n) == i);
        CHECK(std::is_sorted(part.begin(), part.end(),
                             [](const UserList& a, const UserList& b) { return a.user < b.user; }));
        merged.insert(merged.end(), part.begin(), part.end());
      }
      std::sort(merged.begin(), merged.end(),
                [](const UserList& a, const UserList& b) { return a.user < b.user; });
      REQUIRE(merged.size() == whole.size());
      for (std::size_t u = 0; u < whole.size(); ++u) {
        CHECK(merged[u].user == whole[u].user);
        CHECK(merged[u].tracks == whole[u].tracks);
        CHECK(merged[u].scores == whole[u].scores);
      }
    }
  }
}
