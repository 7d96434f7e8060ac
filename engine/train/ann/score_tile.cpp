#include "engine/train/ann/score_tile.h"

#include <cstring>

namespace botify::train::ann {
namespace {

constexpr std::size_t kGroup = 8;  // query rows whose accumulators stay in registers

using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));

__attribute__((target_clones("arch=x86-64-v3", "default"))) void ScoreColumns(
    const float* ctx, std::size_t dim, const float* tt, std::size_t stride, const float* bias,
    std::size_t width, float* out) {
  for (std::size_t b0 = 0; b0 < kContexts; b0 += kGroup) {
    for (std::size_t j = 0; j < width; j += kLanes) {
      // Vectors are loaded by memcpy (no alignment needed) and never passed to a function,
      // so the default clone needs no AVX calling convention.
      Vec acc[kGroup];
      Vec start;
      std::memcpy(&start, bias + j, sizeof start);
#pragma GCC unroll 8
      for (auto& a : acc) a = start;
      for (std::size_t d = 0; d < dim; ++d) {
        Vec row;
        std::memcpy(&row, tt + d * stride + j, sizeof row);
        // Unrolled so that the accumulators live in registers.
#pragma GCC unroll 8
        for (std::size_t g = 0; g < kGroup; ++g) acc[g] += ctx[(b0 + g) * dim + d] * row;
      }
#pragma GCC unroll 8
      for (std::size_t g = 0; g < kGroup; ++g) {
        std::memcpy(out + (b0 + g) * kTile + j, &acc[g], sizeof(Vec));
      }
    }
  }
}

}  // namespace

TransposedTable Transpose(std::size_t rows, std::size_t dim,
                          const std::function<const float*(std::size_t)>& row,
                          const std::function<float(std::size_t)>& bias) {
  TransposedTable t;
  t.rows = rows;
  t.dim = dim;
  t.stride = (rows + kTile - 1) / kTile * kTile;
  t.tt.assign(dim * t.stride, 0.0f);
  t.bias.assign(t.stride, kNaN);
  for (std::size_t j = 0; j < rows; ++j) {
    const float* r = row(j);
    for (std::size_t d = 0; d < dim; ++d) t.tt[d * t.stride + j] = r[d];
    t.bias[j] = bias(j);
  }
  return t;
}

void ScoreTile(const float* queries, const TransposedTable& table, std::size_t tile,
               std::size_t width, float* out) {
  ScoreColumns(queries, table.dim, table.tt.data() + tile, table.stride, table.bias.data() + tile,
               width, out);
}

}  // namespace botify::train::ann
