#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "engine/train/ub/capped_track_index.h"

using namespace botify;
using namespace botify::train::ub;

namespace {

// Track 0 is played by 100 users (ids 0..99), track 1 by 3 of them.
InteractionMatrix PopularAndNiche() {
  InteractionMatrixBuilder b;
  for (UserId u = 0; u < 100; ++u) b.Add(u, 0, 0.1 * (u % 7));
  for (UserId u : {5, 50, 95}) b.Add(u, 1, 1.0);
  return b.Build();
}

std::vector<std::uint32_t> Kept(const CappedTrackIndex& index, std::size_t t) {
  const auto users = index.Users(t);
  return {users.begin(), users.end()};
}

std::vector<std::uint32_t> Column(const InteractionMatrix& m, std::size_t t) {
  return {m.col_users.begin() + m.col_offsets[t], m.col_users.begin() + m.col_offsets[t + 1]};
}

}  // namespace

TEST_CASE("a cap at least a track's users keeps them all", "[engine][ub]") {
  const InteractionMatrix m = PopularAndNiche();
  const CappedTrackIndex index(m, 100, 1);
  CHECK(Kept(index, 0) == Column(m, 0));
  CHECK(Kept(index, 1) == Column(m, 1));
  CHECK(index.num_entries() == m.num_entries());
}

TEST_CASE("a small cap keeps a seeded sample of a popular track's users", "[engine][ub]") {
  const InteractionMatrix m = PopularAndNiche();
  const CappedTrackIndex index(m, 10, 1);
  const auto kept = Kept(index, 0);
  REQUIRE(kept.size() == 10);
  CHECK(std::is_sorted(kept.begin(), kept.end()));
  CHECK(std::adjacent_find(kept.begin(), kept.end()) == kept.end());
  CHECK(kept.back() < 100);
  // A sample, not the first ten users.
  CHECK(kept != Column(m, 0));
  // The niche track is under the cap: all of its users.
  CHECK(Kept(index, 1) == Column(m, 1));
  CHECK(index.num_entries() == 13);
  // Deterministic for a seed; another seed draws another sample.
  CHECK(Kept(CappedTrackIndex(m, 10, 1), 0) == kept);
  CHECK(Kept(CappedTrackIndex(m, 10, 2), 0) != kept);
}

TEST_CASE("the sample of a track depends on its own users' ids only", "[engine][ub]") {
  InteractionMatrixBuilder alone, more;
  for (UserId u = 1000; u < 1100; ++u) {
    alone.Add(u, 5, 0.1 * (u % 7));
    more.Add(u, 5, 0.1 * (u % 7));
  }
  // Users of lower ids and a track of a lower id shift every index of `more`.
  for (UserId u = 0; u < 50; ++u) more.Add(u, 1, 0.5);
  const InteractionMatrix a = alone.Build(), b = more.Build();
  auto kept_ids = [](const InteractionMatrix& m, std::size_t t) {
    const CappedTrackIndex index(m, 10, 3);
    std::vector<UserId> ids;
    for (auto v : index.Users(t)) ids.push_back(m.users[v]);
    return ids;
  };
  REQUIRE(b.tracks[1] == 5);
  CHECK(kept_ids(a, 0) == kept_ids(b, 1));
  CHECK(kept_ids(a, 0).size() == 10);
}
