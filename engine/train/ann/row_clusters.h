// Clusters of embedding rows for the clustered search (clustered_search.h): an inverted
// file over the targets of a maximum-inner-product ranking.
//
// A ranking score is q.x with q = (query row, 1) and x = (target row, target bias).
// Appending e = sqrt(M^2 - |x|^2) to x, with M the largest |x|, puts every target on a
// sphere of radius M without changing q.x (q gets a 0 there), and on a sphere the largest
// inner product is the nearest point: plain k-means (L2) then groups targets that score
// alike for every query (Bachrach et al., RecSys 2014).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace botify::train::ann {

// Rows 0 .. size-1 of `dim` floats, each with a bias; only candidates are ranked.
struct RowSet {
  std::size_t size = 0;
  std::size_t dim = 0;
  std::function<const float*(std::uint32_t)> row;
  std::function<float(std::uint32_t)> bias;
  std::function<bool(std::uint32_t)> candidate;
};

struct RowClusters {
  std::size_t dim = 0;               // the rows'
  std::vector<float> centroid;       // clusters x dim: the row part
  std::vector<float> centroid_bias;  // clusters: the bias part (a query's probe score of a
                                     // cluster is dot(query, centroid) + this)
  std::vector<std::vector<std::uint32_t>> members;  // per cluster, ascending; every
                                                    // candidate in exactly one
  std::size_t size() const { return members.size(); }
};

// k-means with min(clusters, candidates) clusters: `iterations` Lloyd steps on a seeded
// sample of at most kSamplePerCluster candidates per cluster, then every candidate
// assigned to its nearest centroid. Deterministic from `seed` (not from `threads`).
inline constexpr std::size_t kSamplePerCluster = 32;
RowClusters ClusterRows(const RowSet& rows, std::size_t clusters, std::uint64_t seed, int threads,
                        int iterations = 8);

}  // namespace botify::train::ann
