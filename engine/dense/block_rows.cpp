#include "engine/dense/block_rows.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/dense/blas.h"

namespace botify::dense {

void AppendTargetRow(const float* vector, std::size_t cols, float bias, std::vector<float>* rows) {
  rows->insert(rows->end(), vector, vector + cols);
  rows->push_back(bias);
}

void AppendPaddingRows(std::size_t count, std::size_t cols, std::vector<float>* rows) {
  for (std::size_t r = 0; r < count; ++r) {
    rows->insert(rows->end(), cols, 0.0f);
    rows->push_back(std::numeric_limits<float>::quiet_NaN());
  }
}

void LoadQueryBlock(const MatrixView& vectors, std::span<const std::uint32_t> ids,
                    std::vector<float>* block) {
  const std::size_t width = vectors.cols + 1;
  block->assign(kQueryBlock * width, 0.0f);
  for (std::size_t b = 0; b < ids.size(); ++b) {
    const float* row = vectors.row(ids[b]);
    std::copy(row, row + vectors.cols, block->begin() + static_cast<std::ptrdiff_t>(b * width));
    (*block)[b * width + vectors.cols] = 1.0f;
  }
}

float ExactScore(const float* query, const float* row, std::size_t cols) {
  double sum = 0;
  for (std::size_t d = 0; d < cols; ++d) sum += double{query[d]} * double{row[d]};
  return static_cast<float>(sum + double{row[cols]});
}

float MaxRowNorm(const float* rows, std::size_t count, std::size_t cols) {
  double max_squared = 0;
  for (std::size_t r = 0; r < count; ++r) {
    double squared = 0;
    bool finite = true;
    for (std::size_t d = 0; d <= cols; ++d) {
      const double x = rows[r * (cols + 1) + d];
      finite = finite && std::isfinite(x);
      squared += x * x;
    }
    // A row with a NaN or infinite value never scores a finite sum, so is never kept.
    if (finite) max_squared = std::max(max_squared, squared);
  }
  return static_cast<float>(std::sqrt(max_squared));
}

float ScoreMargin(const float* query, std::size_t cols, float max_row_norm) {
  double squared = 1.0;  // the query row's 1, which meets the bias
  for (std::size_t d = 0; d < cols; ++d) squared += double{query[d]} * double{query[d]};
  const double products = static_cast<double>(cols + 1);
  return static_cast<float>(2 * (products + 2) * std::ldexp(1.0, -23) * std::sqrt(squared) *
                            double{max_row_norm});
}

void ScoreBlock(const std::vector<float>& block, const float* rows, std::size_t n,
                std::size_t width, float* scores) {
  MultiplyTransposed(block.data(), width, rows, width, kQueryBlock, n, width, scores, n);
}

}  // namespace botify::dense
