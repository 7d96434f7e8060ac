#include "engine/serving/dot_rows.h"

#include <immintrin.h>

#include <algorithm>
#include <iterator>

namespace botify::serving {
namespace {

void DotRowsPortable(const float* query, std::size_t dim, const float* rows,
                     std::span<const TrackId> ids, float scale, const float* bias, float* out) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const float* row = rows + std::size_t{ids[i]} * dim;
    float s[4] = {0, 0, 0, 0};  // four chains, so the loop pipelines without -ffast-math
    std::size_t d = 0;
    for (; d + 4 <= dim; d += 4) {
      for (int k = 0; k < 4; ++k) s[k] += query[d + k] * row[d + k];
    }
    for (; d < dim; ++d) s[0] += query[d] * row[d];
    out[i] = scale * ((s[0] + s[1]) + (s[2] + s[3])) + (bias != nullptr ? bias[ids[i]] : 0.0f);
  }
}

// How far ahead of its use a row is prefetched: two groups of eight, about as many lines
// as a core keeps in flight.
constexpr std::size_t kPrefetchRows = 16;

// kBlocks = dim / 8 vectors of the query stay in registers; each row's blocks
// multiply-add into one vector, and eight rows' vectors are summed across lanes together
// (two rounds of hadd and a fold of the 128-bit halves) into one vector of eight scores.
template <std::size_t kBlocks>
__attribute__((target("avx2,fma"))) void DotRowsAvx2(const float* query, const float* rows,
                                                     std::span<const TrackId> ids, float scale,
                                                     const float* bias, float* out) {
  constexpr std::size_t kDim = 8 * kBlocks;
  // Unrolled, so that the query and the eight accumulators stay in registers.
  __m256 q[kBlocks];
#pragma GCC unroll 16
  for (std::size_t b = 0; b < kBlocks; ++b) q[b] = _mm256_loadu_ps(query + 8 * b);
  const auto products = [&](TrackId id) __attribute__((target("avx2,fma"), always_inline)) {
    const float* row = rows + std::size_t{id} * kDim;
    __m256 acc = _mm256_mul_ps(q[0], _mm256_loadu_ps(row));
#pragma GCC unroll 16
    for (std::size_t b = 1; b < kBlocks; ++b) {
      acc = _mm256_fmadd_ps(q[b], _mm256_loadu_ps(row + 8 * b), acc);
    }
    return acc;
  };
  // The rows are scattered over a table larger than the caches: each one's lines are
  // requested kPrefetchRows rows ahead of their use, so that the loads of several groups
  // are in flight at once instead of one group's at a time.
  constexpr std::size_t kRowBytes = kDim * sizeof(float);
  const auto prefetch = [&](std::size_t r) {
    const char* row = reinterpret_cast<const char*>(rows + std::size_t{ids[r]} * kDim);
    for (std::size_t offset = 0; offset < kRowBytes; offset += 64) {
      _mm_prefetch(row + offset, _MM_HINT_T0);
    }
    _mm_prefetch(row + kRowBytes - 1, _MM_HINT_T0);  // an unaligned row's last line
  };
  const std::size_t n = ids.size();
  for (std::size_t r = 0; r < std::min(n, kPrefetchRows); ++r) prefetch(r);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t r = i + kPrefetchRows; r < std::min(n, i + kPrefetchRows + 8); ++r) {
      prefetch(r);
    }
    __m256 a[8];
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) a[k] = products(ids[i + k]);
    const __m256 h01 = _mm256_hadd_ps(a[0], a[1]), h23 = _mm256_hadd_ps(a[2], a[3]);
    const __m256 h45 = _mm256_hadd_ps(a[4], a[5]), h67 = _mm256_hadd_ps(a[6], a[7]);
    const __m256 h0123 = _mm256_hadd_ps(h01, h23), h4567 = _mm256_hadd_ps(h45, h67);
    // h0123: the low-half sums of rows 0-3, then their high-half sums; h4567 likewise.
    const __m256 low = _mm256_permute2f128_ps(h0123, h4567, 0x20);
    const __m256 high = _mm256_permute2f128_ps(h0123, h4567, 0x31);
    const __m256 sums = _mm256_add_ps(low, high);
    const __m256 added = bias == nullptr
                             ? _mm256_setzero_ps()
                             : _mm256_setr_ps(bias[ids[i]], bias[ids[i + 1]], bias[ids[i + 2]],
                                              bias[ids[i + 3]], bias[ids[i + 4]], bias[ids[i + 5]],
                                              bias[ids[i + 6]], bias[ids[i + 7]]);
    _mm256_storeu_ps(out + i, _mm256_fmadd_ps(_mm256_set1_ps(scale), sums, added));
  }
  for (; i < ids.size(); ++i) {
    const __m256 acc = products(ids[i]);
    const __m128 half = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    const __m128 pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
    out[i] = scale * _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair))) +
             (bias != nullptr ? bias[ids[i]] : 0.0f);
  }
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

}  // namespace

void DotRows(const float* query, std::size_t dim, const float* rows, std::span<const TrackId> ids,
             float scale, const float* bias, float* out) {
  // The AVX2 kernel for dim = 8 * index, up to the 72 floats of a 64-dim model's scoring
  // rows (beyond 8 blocks the query no longer fits the registers beside the accumulators).
  using Kernel =
      void (*)(const float*, const float*, std::span<const TrackId>, float, const float*, float*);
  static constexpr Kernel kKernels[] = {
      nullptr,        DotRowsAvx2<1>, DotRowsAvx2<2>, DotRowsAvx2<3>, DotRowsAvx2<4>,
      DotRowsAvx2<5>, DotRowsAvx2<6>, DotRowsAvx2<7>, DotRowsAvx2<8>, DotRowsAvx2<9>};
  if (dim % 8 == 0 && dim / 8 < std::size(kKernels) && HasAvx2()) {
    return kKernels[dim / 8](query, rows, ids, scale, bias, out);
  }
  DotRowsPortable(query, dim, rows, ids, scale, bias, out);
}

}  // namespace botify::serving
