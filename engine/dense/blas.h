// The engine's one door to BLAS (OpenBLAS): a block of scores as a single-precision
// matrix product. Only blas.cpp includes cblas.h.
//
// Threads: OpenBLAS is told once to run every call on the calling thread
// (openblas_set_num_threads(1)), faiss's calls included. The rankers parallelise over blocks of
// queries with their own workers, so BLAS's own threads would only oversubscribe the cores, and a
// block's scores must not depend on how many threads computed them.
#pragma once

#include <cstddef>

namespace botify::dense {

// c[i * ldc + j] = sum_d a[i * lda + d] * b[j * ldb + d] for i < m, j < n, d < k
// (C = A B^T, every matrix row-major). Thread-safe: concurrent calls on distinct outputs.
//
// Rounding: each c[i][j] is a float sum whose order of additions (and use of fused
// multiply-adds) is OpenBLAS's, so it can differ from a plain loop's in the last bits, and
// it depends on the kernel the CPU gets, the shape and the place in the product: OpenBLAS
// 0.3.21 sends products below some m x n x k to "small matrix" kernels on AVX-512 CPUs
// (SkylakeX), and its Haswell kernel (AVX2 CPUs, AMD Zen included) sums a pair differently
// when its row or column moves within the same shape (measured on an AMD EPYC, family 26:
// with k = 13, 32, 33 or 51, moving the columns by 1 to 32 changes 1-5% of the scores in
// their last bits). Rankings therefore only select on these scores and order by
// ExactScore (block_rows.h).
void MultiplyTransposed(const float* a, std::size_t lda, const float* b, std::size_t ldb,
                        std::size_t m, std::size_t n, std::size_t k, float* c, std::size_t ldc);

// Tells OpenBLAS, once per process, to run every call on the calling thread (see above).
// MultiplyTransposed does it; code that reaches BLAS through faiss calls it first.
void UseSingleThreadedBlas();

}  // namespace botify::dense
