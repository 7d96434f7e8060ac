// Clusters of a ContextualModel's candidate targets, for the bounded ranker
// (bounded_target_ranker.h): an inverted file over the target embeddings.
//
// A ranking score is a maximum inner product, q.x with q = (context row, 1) and x =
// (target row, target bias). Appending e = sqrt(M^2 - |x|^2) to x, with M the largest
// |x|, puts every target on a sphere of radius M without changing q.x (q gets a 0 there),
// and on a sphere the largest inner product is the nearest point: plain k-means (L2) then
// groups targets that score alike for every context (Bachrach et al., RecSys 2014).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/train/contextual/contextual_model.h"

namespace botify::train::contextual {

struct TargetClusters {
  std::size_t dim = 0;                // the model's
  std::vector<float> centroid;        // clusters x dim: the target-row part
  std::vector<float> centroid_bias;   // clusters: the bias part (a context's probe score
                                      // of a cluster is dot(context, centroid) + this)
  std::vector<std::vector<TrackId>> members;  // per cluster, ascending; every candidate
                                              // target (model.seen_target) in exactly one
  std::size_t size() const { return members.size(); }
};

// k-means with min(clusters, candidates) clusters: `iterations` Lloyd steps on a seeded
// sample of at most kSamplePerCluster points per cluster, then every candidate assigned
// to its nearest centroid. Deterministic from `seed` (not from `threads`).
inline constexpr std::size_t kSamplePerCluster = 32;
TargetClusters ClusterTargets(const ContextualModel& model, std::size_t clusters,
                              std::uint64_t seed, int threads, int iterations = 8);

}  // namespace botify::train::contextual
