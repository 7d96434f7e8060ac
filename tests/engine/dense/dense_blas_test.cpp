#include "engine/dense/blas.h"

#include "engine/dense/block_rows.h"
#include "engine/dense/exact_index.h"
#include "engine/dense/ivf_index.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

TEST_CASE("a BLAS score is within half the ranking margin of ExactScore, wherever the pair sits",
          "[engine][dense][blas]") {
  // What makes the dense rankings the same in any block, tile, shard or index
  // (block_rows.h): BLAS scores a pair differently depending on the kernel and, with some
  // kernels, on where the pair sits in the product (blas.h), but always within
  // ScoreMargin / 2 of ExactScore, which depends on the two rows only.
  Rng rng(8);
  const std::size_t cols = GENERATE(1, 2, 13, 32, 51);
  const std::size_t width = cols + 1;
  const std::size_t rows = dense::kQueryBlock, tile = dense::ExactIndex::kTargetTile;
  std::vector<float> targets;
  for (std::size_t t = 0; t < tile + 515; ++t) {
    const std::vector<float> v = RandomMatrix(1, cols, rng);
    dense::AppendTargetRow(v.data(), cols, static_cast<float>(4 * rng.UniformDouble() - 2),
                           &targets);
  }
  const std::vector<float> queries = RandomMatrix(rows + 127, cols, rng);
  std::vector<float> block;
  const float max_norm = dense::MaxRowNorm(targets.data(), tile + 515, cols);
  const std::size_t row0 = GENERATE(0, 1, 64, 127);
  const std::size_t col0 = GENERATE(0, 3, 16, 515);
  const std::size_t n = GENERATE(as<std::size_t>(), dense::IvfIndex::kCellRows, 160,
                                 dense::IvfIndex::kCellTile, dense::ExactIndex::kTargetTile);
  std::vector<std::uint32_t> ids(rows);
  for (std::size_t b = 0; b < rows; ++b) ids[b] = static_cast<std::uint32_t>(row0 + b);
  dense::LoadQueryBlock({queries.data(), rows + 127, cols, cols}, ids, &block);
  std::vector<float> scores(rows * n);
  dense::ScoreBlock(block, &targets[col0 * width], n, width, scores.data());
  double worst = 0;  // the largest error as a share of half the margin
  for (std::size_t b = 0; b < rows; ++b) {
    const float* query = &queries[(row0 + b) * cols];
    const float half_margin = dense::ScoreMargin(query, cols, max_norm) / 2;
    for (std::size_t j = 0; j < n; ++j) {
      const float exact = dense::ExactScore(query, &targets[(col0 + j) * width], cols);
      const float error = std::abs(scores[b * n + j] - exact);
      REQUIRE(error <= half_margin);
      worst = std::max(worst, double{error} / half_margin);
    }
  }
  // The margin is a bound, not a guess: far above what rounding does, far below a score.
  CHECK(worst < 0.5);
}

TEST_CASE("ExactScore is the double-precision dot product plus bias, rounded once",
          "[engine][dense][blas]") {
  Rng rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t cols = 1 + static_cast<std::size_t>(rng.Uniform(70));
    const std::vector<float> q = RandomMatrix(1, cols, rng);
    std::vector<float> row;
    dense::AppendTargetRow(RandomMatrix(1, cols, rng).data(), cols, 0.25f, &row);
    long double want = 0.25L;
    for (std::size_t d = 0; d < cols; ++d) want += static_cast<long double>(q[d]) * row[d];
    const float got = dense::ExactScore(q.data(), row.data(), cols);
    // Rounded once from double; long double differs from that by at most a float ulp.
    REQUIRE(std::abs(got - static_cast<float>(want)) <=
            std::nextafter(std::abs(got), INFINITY) - std::abs(got));
  }
  // Rows with a NaN or infinity do not bound the margin (they never score finite).
  std::vector<float> rows;
  const float big[2] = {3, 4};
  dense::AppendTargetRow(big, 2, 0, &rows);         // norm 5
  dense::AppendPaddingRows(1, 2, &rows);            // NaN bias
  dense::AppendTargetRow(big, 2, INFINITY, &rows);  // infinite bias
  CHECK(dense::MaxRowNorm(rows.data(), 3, 2) == 5.0f);
}
