// The exact ranking: every query scored against every target, as a blocked matrix product
// on BLAS (blas.h) followed by a per-query top-k (top_k.h).
//
// Queries go in blocks of kQueryBlock (block_rows.h), each block against tiles of
// kTargetTile targets: one product gives the block's scores for the tile, which fit in a
// core's L2 cache while each query's selector reads them in ascending target order. BLAS
// selects, with a margin for its rounding; what a query kept is ordered by ExactScore
// (block_rows.h), equal scores to the lower id. So a list depends only on the query, the
// targets and k: not on the block or worker a query falls in, the thread count, the shard,
// the CPU or the BLAS kernel.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/dense/index.h"

namespace botify::dense {

// Thread-compatible; Search may run concurrently.
class ExactIndex final : public Index {
 public:
  static constexpr std::size_t kTargetTile = 1024;  // scores of a block: 512 KiB

  // Copies `targets` (vectors and bias; bias.size() must equal vectors.rows, checked by
  // BuildIndex).
  explicit ExactIndex(const Targets& targets);

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::size_t width_ = 0;   // cols_ + 1
  float max_row_norm_ = 0;  // MaxRowNorm of the targets' rows, for ScoreMargin
  // rows_ rounded up to whole tiles, x width_: each target's vector, then its bias.
  std::vector<float> packed_;
};

// Checks what Search needs: query vectors as wide as the targets (`cols`), every id a row
// of them, threads >= 1. Shared by the implementations.
Status CheckSearch(const Queries& queries, std::size_t cols, int threads);

}  // namespace botify::dense
