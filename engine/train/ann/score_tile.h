// The blocked inner-product kernel of the rankers over embeddings (the contextual
// trainer's exact ranking, clustered_search.h): kContexts query rows against a tile of
// targets stored transposed, and the transposed table it reads.
//
// Each score is bias[j] + sum_d q[d] * t[d][j] with the additions in d order, whatever
// the tile or the table the target sits in: a target scores the same bit for bit in an
// exact ranking and in the clustered one. The AVX2 clone may fuse
// the multiply-adds into FMAs, so scores can differ from ContextualModel::Score's in the
// last bit; ties are defined on these scores.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace botify::train::ann {

inline constexpr std::size_t kContexts = 32;  // query rows scored per pass over a tile
inline constexpr std::size_t kLanes = 8;      // floats per vector register (AVX)
inline constexpr std::size_t kTile = 512;     // targets per tile: dim x kTile floats in L2
inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Rows stored transposed (dim x stride) for ScoreTile; columns past the rows, and rows
// whose bias is NaN, are never ranked.
struct TransposedTable {
  std::size_t rows = 0;
  std::size_t dim = 0;
  std::size_t stride = 0;   // rows rounded up to kTile
  std::vector<float> tt;    // dim x stride
  std::vector<float> bias;  // stride; NaN for padding
};

// row(i) points at the dim floats of row i; bias(i) is its bias (NaN: never ranked).
TransposedTable Transpose(std::size_t rows, std::size_t dim,
                          const std::function<const float*(std::size_t)>& row,
                          const std::function<float(std::size_t)>& bias);

// out[b][j] (b < kContexts, j < width, row stride kTile) = the score of query row b of
// `queries` (kContexts x dim, row-major) against column tile + j of `table`. `width` is
// a multiple of kLanes, at most kTile, and tile + width <= table.stride.
void ScoreTile(const float* queries, const TransposedTable& table, std::size_t tile,
               std::size_t width, float* out);

}  // namespace botify::train::ann
