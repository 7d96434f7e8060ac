// The rows of the blocked products on BLAS (exact_index.h, ivf_index.h): a target row is
// its vector followed by its bias, a query row its vector followed by a 1, so one product
// of a block of queries by a tile of targets gives dot + bias for every pair.
//
// Every product is kQueryBlock query rows (a partial block is padded with zero rows) by a
// multiple of 16 target rows: OpenBLAS 0.3.21 sums products of such shapes alike (checked
// for 16 to 1,024 target rows and 1 to 70 columns, tests/engine/dense/dense_blas_test.cpp
// for the shapes used), so a pair scores the same bit for bit in any block, tile or index
// (blas.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/dense/rows.h"

namespace botify::dense {

inline constexpr std::size_t kQueryBlock = 128;

// Appends (vector[0..cols), bias) to *rows.
void AppendTargetRow(const float* vector, std::size_t cols, float bias, std::vector<float>* rows);

// Appends `count` padding rows of cols + 1 floats: zeros and a NaN bias, so they score NaN
// and are never kept.
void AppendPaddingRows(std::size_t count, std::size_t cols, std::vector<float>* rows);

// Sets *block to kQueryBlock rows of cols + 1 floats: the query rows of `ids` (at most
// kQueryBlock), each followed by a 1, then zero rows.
void LoadQueryBlock(const MatrixView& vectors, std::span<const std::uint32_t> ids,
                    std::vector<float>* block);

// scores[b * n + j] = query row b of `block` . target row j of `rows` (n rows, a multiple
// of 16), for b < kQueryBlock.
void ScoreBlock(const std::vector<float>& block, const float* rows, std::size_t n,
                std::size_t width, float* scores);

}  // namespace botify::dense
