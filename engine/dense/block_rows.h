// The rows of the blocked products on BLAS (exact_index.h, ivf_index.h): a target row is
// its vector followed by its bias, a query row its vector followed by a 1, so one product
// of a block of queries by a tile of targets gives dot + bias for every pair.
//
// Every product is kQueryBlock query rows (a partial block is padded with zero rows) by a
// multiple of 16 target rows. BLAS only selects: its float sums depend on the kernel the
// CPU gets and, with some kernels, on where the pair sits in the product (OpenBLAS
// 0.3.21's Haswell kernel, which AMD Zen CPUs also get: blas.h). So a ranking keeps every
// target whose BLAS score is within ScoreMargin of its k-th, and orders what it kept by
// ExactScore, a sum whose value depends on nothing but the two rows: the lists are the
// same in any block, tile, shard or index, and on any CPU.
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

// query . target row: sum over d < cols of query[d] * row[d], plus row[cols] (the bias),
// added in double in that order and rounded to float. Each product of two floats is exact
// in double, so neither FMA contraction nor the CPU changes the value. `row` is a target
// row of cols + 1 floats (AppendTargetRow).
float ExactScore(const float* query, const float* row, std::size_t cols);

// The largest Euclidean norm of `count` target rows of cols + 1 floats (bias included),
// skipping rows with a non-finite value (padding, NaN bias): the bound ScoreMargin needs.
float MaxRowNorm(const float* rows, std::size_t count, std::size_t cols);

// How far a float sum of query . row (cols + 1 products, in any order, with or without
// FMA, as BLAS computes it) can be from ExactScore, doubled: the margin within which a
// ranking keeps targets below its k-th BLAS score (top_k.h), so that what it keeps holds
// the best k by ExactScore. (Rounding error of a float sum of n products is at most
// n 2^-24 times the sum of their magnitudes, which Cauchy-Schwarz bounds by the norms;
// the margin takes (n + 2) 2^-23 for it and twice that for the two sides.)
float ScoreMargin(const float* query, std::size_t cols, float max_row_norm);

// scores[b * n + j] = query row b of `block` . target row j of `rows` (n rows, a multiple
// of 16), for b < kQueryBlock.
void ScoreBlock(const std::vector<float>& block, const float* rows, std::size_t n,
                std::size_t width, float* scores);

}  // namespace botify::dense
