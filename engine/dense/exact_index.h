// The exact ranking: every query scored against every target, as a blocked matrix product
// on BLAS (blas.h) followed by a per-query top-k (top_k.h).
//
// Queries go in blocks of kQueryBlock (block_rows.h), each block against tiles of
// kTargetTile targets: one product gives the block's scores for the tile, which fit in a
// core's L2 cache while each query's selector reads them in ascending target order. The
// last block and tile are padded, so every product has one shape and a pair scores the
// same whatever block or worker it falls in (block_rows.h): the lists do not depend on
// the thread count. A score is a float sum in OpenBLAS's order: it can differ from
// another kernel's in the last bits, so near-ties may order differently than in another
// implementation; equal scores go to the lower id.
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
  std::size_t width_ = 0;  // cols_ + 1
  // rows_ rounded up to whole tiles, x width_: each target's vector, then its bias.
  std::vector<float> packed_;
};

// Checks what Search needs: query vectors as wide as the targets (`cols`), every id a row
// of them, threads >= 1. Shared by the implementations.
Status CheckSearch(const Queries& queries, std::size_t cols, int threads);

}  // namespace botify::dense
