// The bounded ranking by cells with faiss's own scan (IndexKind kIvfFlat in index.h): the
// cells of ivf_index.h (ivf_cells.h: the same k-means, the same cells, the same cells
// searched per query) in a faiss::IndexIVFFlat with METRIC_INNER_PRODUCT, searched with
// faiss's IndexIVF::search_preassigned. So it finds the same candidates as kIvf and differs
// only in who scores them: here faiss's inverted-list scanner, one target at a time
// (fvec_inner_product), there blocks of queries by tiles of a cell on BLAS. Kept to measure
// the two side by side (docs/scale.md); kIvf is the one the flags document as faster.
//
// The sphere's extra coordinate is 0 in the query, so faiss's inner product of (query, 1,
// 0) and (target, bias, e) is the score. Each query asks faiss for k + its exclusions (the
// scan is exhaustive within the searched cells, so k remain once they are dropped) and
// ranks them by faiss's score, equal scores to the lower id. faiss sums in another order
// than BLAS, and its heap keeps either of two targets tied at the cut: lists can differ
// from kIvf's at near-ties, never where scores differ by more.
//
// Threads: queries in chunks on the index's workers; per chunk one quantizer search
// (faiss's IndexFlatL2, on BLAS), then each query's scan, every faiss call on its worker's
// thread (OpenMP set to 1 there), so the lists do not depend on `threads`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/dense/index.h"

namespace faiss {
struct IndexIVFFlat;
}  // namespace faiss

namespace botify::dense {

// Thread-compatible; Search may run concurrently (faiss searches are const).
class IvfFlatIndex final : public Index {
 public:
  // `options.kind` must be kIvfFlat (validated). Errors: faiss refusing the parameters.
  static Result<std::unique_ptr<IvfFlatIndex>> Build(const Targets& targets,
                                                     const IndexOptions& options);
  ~IvfFlatIndex() override;

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  IvfFlatIndex() = default;

  std::size_t cols_ = 0;
  std::size_t probe_ = 0;                     // <= the cells
  std::vector<std::uint32_t> target_of_;      // faiss id -> target id
  std::unique_ptr<faiss::IndexIVFFlat> ivf_;  // null when there are no candidates
};

}  // namespace botify::dense
