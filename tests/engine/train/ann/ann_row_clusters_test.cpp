#include "engine/train/ann/row_clusters.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "base/random.h"

using namespace botify;
using namespace botify::train::ann;

namespace {

// `groups` tight groups of 25 rows around random directions; every 10th row not a
// candidate.
struct GroupedRows {
  std::size_t dim = 0;
  std::vector<float> values;
  RowSet View() const {
    return RowSet{values.size() / dim, dim, [this](std::uint32_t i) { return &values[i * dim]; },
                  [](std::uint32_t) { return 0.1f; }, [](std::uint32_t i) { return i % 10 != 3; }};
  }
};

GroupedRows Grouped(std::size_t groups, std::size_t dim) {
  GroupedRows g;
  g.dim = dim;
  Rng rng(5);
  std::vector<float> centres(groups * dim);
  for (float& c : centres) c = static_cast<float>(rng.Normal());
  for (std::size_t t = 0; t < groups * 25; ++t) {
    for (std::size_t d = 0; d < dim; ++d) {
      g.values.push_back(centres[(t % groups) * dim + d] +
                         0.01f * static_cast<float>(rng.Normal()));
    }
  }
  return g;
}

}  // namespace

TEST_CASE("target clusters hold every candidate once, ascending; non-candidates none",
          "[engine][ann]") {
  const GroupedRows g = Grouped(6, 4);
  const RowSet rows = g.View();
  const RowClusters clusters = ClusterRows(rows, 6, 1, 2);
  REQUIRE(clusters.size() == 6);
  CHECK(clusters.centroid.size() == 6 * 4);
  CHECK(clusters.centroid_bias.size() == 6);
  std::vector<int> seen(rows.size, 0);
  for (const auto& members : clusters.members) {
    CHECK(std::is_sorted(members.begin(), members.end()));
    for (const std::uint32_t t : members) ++seen[t];
  }
  for (std::uint32_t t = 0; t < rows.size; ++t) CHECK(seen[t] == (rows.candidate(t) ? 1 : 0));
  // Tight, far-apart groups come out as the clusters: a cluster's members share t % 6.
  for (const auto& members : clusters.members) {
    REQUIRE_FALSE(members.empty());
    for (const std::uint32_t t : members) CHECK(t % 6 == members.front() % 6);
  }
  // The same seed gives the same clusters, whatever the thread count.
  CHECK(ClusterRows(rows, 6, 1, 1).members == clusters.members);
  // More clusters than candidates: one candidate each.
  const GroupedRows small = Grouped(1, 3);
  CHECK(ClusterRows(small.View(), 1000, 1, 1).size() == 22);
}
