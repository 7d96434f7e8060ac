#include "engine/train/contextual/target_clusters.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "base/random.h"

using namespace botify;
using namespace botify::train::contextual;

namespace {

// `groups` tight groups of 25 targets around random directions; every 10th track unseen.
ContextualModel GroupedModel(std::size_t groups, std::size_t dim) {
  ContextualModel m;
  m.tracks = groups * 25;
  m.dim = dim;
  Rng rng(5);
  std::vector<float> centres(groups * dim);
  for (float& c : centres) c = static_cast<float>(rng.Normal());
  for (std::size_t t = 0; t < m.tracks; ++t) {
    for (std::size_t d = 0; d < dim; ++d) {
      m.target.push_back(centres[(t % groups) * dim + d] +
                         0.01f * static_cast<float>(rng.Normal()));
    }
    m.target_bias.push_back(0.1f);
    m.seen_target.push_back(t % 10 != 3);
  }
  m.context = m.target;
  m.context_bias.assign(m.tracks, 0);
  m.trained_context.assign(m.tracks, true);
  return m;
}

}  // namespace

TEST_CASE("target clusters hold every candidate once, ascending; unseen tracks none",
          "[engine][contextual][bounded]") {
  const ContextualModel m = GroupedModel(6, 4);
  const TargetClusters clusters = ClusterTargets(m, 6, 1, 2);
  REQUIRE(clusters.size() == 6);
  CHECK(clusters.centroid.size() == 6 * 4);
  CHECK(clusters.centroid_bias.size() == 6);
  std::vector<int> seen(m.tracks, 0);
  for (const auto& members : clusters.members) {
    CHECK(std::is_sorted(members.begin(), members.end()));
    for (const TrackId t : members) ++seen[t];
  }
  for (TrackId t = 0; t < m.tracks; ++t) CHECK(seen[t] == (m.seen_target[t] ? 1 : 0));
  // Tight, far-apart groups come out as the clusters: a cluster's members share t % 6.
  for (const auto& members : clusters.members) {
    REQUIRE_FALSE(members.empty());
    for (const TrackId t : members) CHECK(t % 6 == members.front() % 6);
  }
  // The same seed gives the same clusters, whatever the thread count.
  CHECK(ClusterTargets(m, 6, 1, 1).members == clusters.members);
  // More clusters than candidates: one candidate each.
  const ContextualModel small = GroupedModel(1, 3);
  CHECK(ClusterTargets(small, 1000, 1, 1).size() == 22);
}
