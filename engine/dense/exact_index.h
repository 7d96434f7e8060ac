// The exact ranking: every query scored against every target, as a blocked matrix product
// on BLAS (blas.h) followed by a per-query top-k (top_k.h).
//
// Queries go in blocks of kQueryBlock, each block against tiles of kTargetTile targets:
// one product of (block x (dim + 1)) by ((dim + 1) x tile) gives the block's scores for the
// tile (the targets are stored with their bias as one more column, the queries with a 1
// there), which fit in a core's L2 cache while each query's selector reads them in
// ascending target order. Every product has the same shape, a whole block by a whole
// tile (the last block and tile are padded), because OpenBLAS rounds small products
// differently (blas.h): so a query's scores do not depend on which block or worker it
// falls in, and the lists not on the thread count. A score is a float sum in OpenBLAS's
// order: it can differ from another kernel's in the last bits, so near-ties may order
// differently than in another implementation; equal scores go to the lower id.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/dense/index.h"

namespace botify::dense {

// Thread-compatible; Search may run concurrently.
class ExactIndex final : public Index {
 public:
  static constexpr std::size_t kQueryBlock = 128;
  static constexpr std::size_t kTargetTile = 1024;  // scores of a block: 512 KiB

  // Copies `targets` (vectors and bias; bias.size() must equal vectors.rows, checked by
  // BuildIndex).
  explicit ExactIndex(const Targets& targets);

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::size_t width_ = 0;      // cols_ + 1
  // rows_ rounded up to whole tiles, x width_: each target's vector, then its bias.
  std::vector<float> packed_;
};

// Checks the shapes Search needs: query vectors as wide as the targets and every id a row
// of them. Shared by the implementations.
Status CheckQueries(const Queries& queries, std::size_t cols);

}  // namespace botify::dense
