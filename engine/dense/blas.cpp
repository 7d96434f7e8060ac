#include "engine/dense/blas.h"

#include <cblas.h>

#include <mutex>

namespace botify::dense {
void UseSingleThreadedBlas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

void MultiplyTransposed(const float* a, std::size_t lda, const float* b, std::size_t ldb,
                        std::size_t m, std::size_t n, std::size_t k, float* c, std::size_t ldc) {
  UseSingleThreadedBlas();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a, static_cast<blasint>(lda),
              b, static_cast<blasint>(ldb), 0.0f, c, static_cast<blasint>(ldc));
}

}  // namespace botify::dense
