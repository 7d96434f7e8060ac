// Bounded top-k by inner product: each query is scored only against the targets of its
// `probe` best clusters (row_clusters.h) instead of every candidate, about clusters +
// probe x candidates / clusters scores per query instead of candidates. Used by `train
// contextual --ann-clusters` (targets after a context track) and `train mf
// --export-clusters` (tracks for a user).
//
// Queries are ranked in chunks: each query picks its clusters by the probe score
// dot(query, centroid) + centroid bias; then, cluster by cluster, the chunk's queries that
// picked it are scored against its members with score_tile.h's kernel, every query's best
// cluster first (its selector fills with good targets early, so later ones mostly fail
// the threshold test). A target therefore gets the score an exact ranking over the same
// kernel gives it, bit for bit, ties go to the lower id whatever the order (id_selector.h),
// and with probe == clusters the lists are exactly that ranking's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "base/status.h"
#include "engine/train/ann/chunked_work.h"
#include "engine/train/ann/row_clusters.h"

namespace botify::train::ann {

struct ClusteredSearchOptions {
  std::size_t depth = 100;  // ids kept per query (fewer if fewer candidates are probed)
  std::size_t probe = 16;   // clusters searched per query, in [1, clusters]
  int threads = 2;
  Status Validate(std::size_t clusters) const;
};

// Queries: ids (each ranked once) with rows of RowSet::dim floats, and the target ids
// each one must not get (ascending; e.g. the query track itself, a user's train items).
struct QuerySet {
  std::span<const std::uint32_t> ids;
  std::function<const float*(std::uint32_t)> row;
  std::function<std::span<const std::uint32_t>(std::uint32_t)> excluded;
};

// Receives a query's ranked targets, best first; called from the workers, concurrently
// for different queries, once per query; the span is valid only during the call.
using RankedSink = std::function<void(std::uint32_t query, std::span<const std::uint32_t> ranked)>;

// `clusters` must be ClusterRows(targets, ...).
Status SearchClustered(const RowSet& targets, const RowClusters& clusters, const QuerySet& queries,
                       const ClusteredSearchOptions& options, const RankedSink& sink,
                       const ChunkProgress& progress = {});

}  // namespace botify::train::ann
