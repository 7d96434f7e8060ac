// The bounded rankings on faiss (IndexKind kIvf, kHnsw in index.h): only targets the
// faiss index finds near a query are scored, then re-scored exactly and ranked.
//
// Inner product to nearest neighbour: a score is q.x with q = (query, 1) and x = (target,
// bias). Appending e = sqrt(M^2 - |x|^2) to every x (M the largest |x|) puts the targets on
// a sphere without changing q.x (q gets a 0 there), and then |q - x|^2 = |q|^2 + M^2 -
// 2 q.x: the nearest target in L2 is the one with the largest score (Bachrach et al.,
// RecSys 2014). The faiss indexes are built over these points in L2: IVF's k-means cells
// and the cells a query probes (nearest centroids), and HNSW's graph (with
// METRIC_INNER_PRODUCT on unnormalised vectors k-means and the graph favour long
// vectors). IVF scans the probed cells by inner product, i.e. by the score. Targets with a
// NaN bias are not added.
//
// Search: each query asks faiss for k + its exclusions + a margin (max(16, k / 4))
// neighbours, so that k remain after the exclusions are dropped and faiss's own cut (its
// float distances, ties in scan order) does not decide between targets whose scores are
// within rounding of the k-th; those are re-scored as dot(query, target) + bias with a
// float sum in dimension order and ranked by that score, equal scores to the lower id. So
// with every IVF cell probed the lists are the exact ones up to near-ties (unless more
// than the margin tie at the k-th score). A list misses targets faiss did not reach
// (recall < 1), and is shorter than k when faiss returns fewer. Queries are searched one at
// a time on the index's workers, each faiss call on its worker's thread (OpenMP's thread
// count is set to 1 there): the lists do not depend on `threads`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/dense/index.h"

namespace faiss {
struct Index;
}  // namespace faiss

namespace botify::dense {

// Thread-compatible; Search may run concurrently (faiss searches are const).
class AnnIndex final : public Index {
 public:
  // `options.kind` is kIvf or kHnsw; options validated. Errors: faiss refusing the
  // parameters (its message).
  static Result<std::unique_ptr<AnnIndex>> Build(const Targets& targets,
                                                 const IndexOptions& options);
  ~AnnIndex() override;

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  AnnIndex() = default;

  IndexOptions options_;
  std::size_t cols_ = 0;
  std::size_t lists_ = 0;                 // IVF: the lists built (<= options_.lists)
  std::vector<float> packed_;             // every target: vector, then bias (re-scoring)
  std::vector<std::uint32_t> target_of_;  // faiss id -> target id
  std::unique_ptr<faiss::Index> index_;
};

}  // namespace botify::dense
