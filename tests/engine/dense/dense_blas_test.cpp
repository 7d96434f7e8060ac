#include "engine/dense/blas.h"

#include "engine/dense/block_rows.h"
#include "engine/dense/exact_index.h"
#include "engine/dense/ivf_index.h"

#include <catch2/catch.hpp>

#include <algorithm>
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

TEST_CASE("a score on BLAS is the same in every product of the rankings' shapes",
          "[engine][dense][blas]") {
  // What makes the blocked rankings deterministic and the IVF cells score as the exact
  // ranking (block_rows.h): in products of kQueryBlock query rows by a multiple of 16
  // target rows (an IVF cell's tile, the exact ranking's 1,024), a pair's score is bit for
  // bit the same whatever rows and columns surround it. (Products of fewer query rows need
  // not agree: blas.h.)
  Rng rng(8);
  const std::size_t k = GENERATE(1, 2, 13, 33, 51);
  const std::size_t rows = dense::kQueryBlock, cols = dense::ExactIndex::kTargetTile;
  const std::vector<float> a = RandomMatrix(rows + 127, k, rng);
  const std::vector<float> b = RandomMatrix(cols + 515, k, rng);
  std::vector<float> whole(rows * cols);
  dense::MultiplyTransposed(a.data(), k, b.data(), k, rows, cols, k, whole.data(), cols);
  const std::size_t row0 = GENERATE(1, 64, 127);
  const std::size_t col0 = GENERATE(3, 515);
  const std::size_t n = GENERATE(as<std::size_t>(), dense::IvfIndex::kCellRows, 48, 160,
                                 dense::IvfIndex::kCellTile, dense::ExactIndex::kTargetTile);
  std::vector<float> part(rows * n);
  dense::MultiplyTransposed(&a[row0 * k], k, &b[col0 * k], k, rows, n, k, part.data(), n);
  for (std::size_t i = row0; i < rows; ++i) {
    for (std::size_t j = col0; j < std::min(cols, col0 + n); ++j) {
      REQUIRE(part[(i - row0) * n + (j - col0)] == whole[i * cols + j]);
    }
  }
}
