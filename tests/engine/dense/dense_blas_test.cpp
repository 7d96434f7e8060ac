#include "engine/dense/blas.h"

#include "engine/dense/exact_index.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "base/random.h"

using namespace botify;

namespace {

std::vector<float> RandomMatrix(std::size_t rows, std::size_t cols, Rng& rng) {
  std::vector<float> m(rows * cols);
  for (float& x : m) x = static_cast<float>(2 * rng.UniformDouble() - 1);
  return m;
}

}  // namespace

TEST_CASE("A B^T on BLAS is the matrix product within float rounding", "[engine][dense][blas]") {
  Rng rng(4);
  const std::size_t m = 37, n = 301, k = GENERATE(1, 7, 51);
  const std::vector<float> a = RandomMatrix(m, k, rng), b = RandomMatrix(n, k, rng);
  std::vector<float> c(m * n, -1.0f);
  dense::MultiplyTransposed(a.data(), k, b.data(), k, m, n, k, c.data(), n);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double want = 0, magnitude = 0;
      for (std::size_t d = 0; d < k; ++d) {
        want += double{a[i * k + d]} * b[j * k + d];
        magnitude += std::abs(double{a[i * k + d]} * b[j * k + d]);
      }
      REQUIRE(std::abs(c[i * n + j] - want) <= (k + 2) * std::ldexp(magnitude, -23));
    }
  }
}

TEST_CASE("a score on BLAS does not depend on its place in a block of the ranking's shape",
          "[engine][dense][blas]") {
  // What makes the blocked exact ranking deterministic (exact_index.h): in blocks of its
  // one shape, the score of a query row and a target row is bit for bit the same whatever
  // rows and columns surround it. (Blocks of other shapes need not agree: blas.h.)
  Rng rng(8);
  const std::size_t k = GENERATE(13, 33, 51);
  const std::size_t rows = dense::ExactIndex::kQueryBlock, cols = dense::ExactIndex::kTargetTile;
  const std::size_t row0 = GENERATE(1, 64, 127), col0 = GENERATE(3, 515);
  const std::vector<float> a = RandomMatrix(rows + row0, k, rng);
  const std::vector<float> b = RandomMatrix(cols + col0, k, rng);
  std::vector<float> first(rows * cols), shifted(rows * cols);
  dense::MultiplyTransposed(a.data(), k, b.data(), k, rows, cols, k, first.data(), cols);
  dense::MultiplyTransposed(&a[row0 * k], k, &b[col0 * k], k, rows, cols, k, shifted.data(), cols);
  for (std::size_t i = row0; i < rows; ++i) {
    for (std::size_t j = col0; j < cols; ++j) {
      REQUIRE(shifted[(i - row0) * cols + (j - col0)] == first[i * cols + j]);
    }
  }
}
