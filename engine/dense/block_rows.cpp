#include "engine/dense/block_rows.h"

#include <algorithm>
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

void ScoreBlock(const std::vector<float>& block, const float* rows, std::size_t n,
                std::size_t width, float* scores) {
  MultiplyTransposed(block.data(), width, rows, width, kQueryBlock, n, width, scores, n);
}

}  // namespace botify::dense
