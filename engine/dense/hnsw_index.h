// The bounded ranking on a graph (IndexKind kHnsw in index.h): faiss::IndexHNSWFlat with
// METRIC_INNER_PRODUCT over the targets as (target, bias), searched with (query, 1), so
// faiss's similarity is the score itself (an "ip-NSW" graph, Morozov and Babenko,
// NeurIPS 2018). Measured on a 10x MF model (500 users, M 32, efSearch 128): recall@100
// 0.98 with the inner-product graph, 0.43 with an L2 graph over the targets put on a
// sphere (ivf_index.h's transform), whose neighbourhoods all look alike near the pole
// the queries come from. Targets with a NaN bias are not added.
//
// Search: each query asks faiss for k + its exclusions + a margin (max(16, k / 4))
// neighbours with efSearch raised to at least that, so that k remain after its exclusions
// are dropped and faiss's cut (its float sums, ties in visit order) does not decide
// between targets within rounding of the k-th; those are re-scored as dot(query, target)
// + bias summed in dimension order, and ranked by that score, equal scores to the lower
// id (near-ties can order differently from the exact ranking's BLAS sums). A list misses
// what the search did not reach (recall < 1; the graph's links are directed, so a few
// targets are reached by no search at all), and is shorter than k when faiss returns
// fewer.
//
// Threads: queries are searched one at a time on the index's workers, each faiss call on
// its worker's thread (OpenMP set to 1 there), so the lists do not depend on `threads`.
// Building inserts on options.build_threads OpenMP threads: with more than one the graph,
// and so the lists, depend on the schedule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/dense/index.h"

namespace faiss {
struct IndexHNSWFlat;
}  // namespace faiss

namespace botify::dense {

// Thread-compatible; Search may run concurrently (faiss searches are const).
class HnswIndex final : public Index {
 public:
  // `options.kind` must be kHnsw (validated). Errors: faiss refusing the parameters.
  static Result<std::unique_ptr<HnswIndex>> Build(const Targets& targets,
                                                  const IndexOptions& options);
  ~HnswIndex() override;

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  HnswIndex() = default;

  std::size_t cols_ = 0;
  std::size_t ef_search_ = 0;
  std::vector<float> rows_;               // every target: vector, then bias (re-scoring)
  std::vector<std::uint32_t> target_of_;  // faiss id -> target id
  std::unique_ptr<faiss::IndexHNSWFlat> graph_;
};

}  // namespace botify::dense
