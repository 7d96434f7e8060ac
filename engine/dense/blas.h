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
// multiply-adds) is OpenBLAS's, so it can differ from a plain loop's in the last bits. It
// also depends on the shape: OpenBLAS 0.3.21 sends products below some m x n x k to
// "small matrix" kernels that sum in another order (measured on an AVX-512 machine: with
// k = 33 or 51, any block of up to ~16 x 256 differs from the same rows and columns
// computed inside a 300 x 3000 product). For one shape (m, n, k) the values do not
// depend on where the block sits in the matrices (tests/engine/dense/dense_blas_test.cpp),
// which is why ExactIndex always multiplies blocks of one shape.
void MultiplyTransposed(const float* a, std::size_t lda, const float* b, std::size_t ldb,
                        std::size_t m, std::size_t n, std::size_t k, float* c, std::size_t ldc);

// Tells OpenBLAS, once per process, to run every call on the calling thread (see above).
// MultiplyTransposed does it; code that reaches BLAS through faiss calls it first.
void UseSingleThreadedBlas();

}  // namespace botify::dense
