#include "engine/dense/exact_index.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/dense/block_rows.h"
#include "engine/dense/chunked_work.h"
#include "engine/dense/top_k.h"

namespace botify::dense {
namespace {

// Scratch of one worker.
struct Worker {
  std::vector<float> queries;  // kQueryBlock x width: the block's vectors, then a 1
  std::vector<float> scores;   // kQueryBlock x kTargetTile
  std::vector<TopK> selectors = std::vector<TopK>(kQueryBlock);
  std::vector<std::uint32_t> ranked;
};

}  // namespace

Status CheckSearch(const Queries& queries, std::size_t cols, int threads) {
  if (threads < 1) {
    return Status::InvalidArgument(fmt::format("threads must be at least 1, got {}", threads));
  }
  if (queries.vectors.cols != cols) {
    return Status::InvalidArgument(
        fmt::format("queries have {} dimensions, the targets {}", queries.vectors.cols, cols));
  }
  for (const std::uint32_t id : queries.ids) {
    if (id >= queries.vectors.rows) {
      return Status::InvalidArgument(fmt::format("query id {} is not a row of the {} query vectors",
                                                 id, queries.vectors.rows));
    }
  }
  return Status::Ok();
}

ExactIndex::ExactIndex(const Targets& targets)
    : rows_(targets.vectors.rows), cols_(targets.vectors.cols), width_(cols_ + 1) {
  const std::size_t tiles = (rows_ + kTargetTile - 1) / kTargetTile;
  packed_.reserve(tiles * kTargetTile * width_);
  for (std::size_t t = 0; t < rows_; ++t) {
    AppendTargetRow(targets.vectors.row(t), cols_, targets.bias[t], &packed_);
  }
  AppendPaddingRows(tiles * kTargetTile - rows_, cols_, &packed_);
  max_row_norm_ = MaxRowNorm(packed_.data(), rows_, cols_);
}

Status ExactIndex::Search(const Queries& queries, std::size_t k, int threads,
                          const RankedSink& sink, const Progress& progress) const {
  BOTIFY_RETURN_IF_ERROR(CheckSearch(queries, cols_, threads));
  auto rank_block = [&](std::span<const std::uint32_t> block, Worker* w) {
    const std::size_t m = block.size();
    LoadQueryBlock(queries.vectors, block, &w->queries);
    for (std::size_t b = 0; b < m; ++b) {
      w->selectors[b].Reset(
          k, queries.excluded ? queries.excluded(block[b]) : std::span<const std::uint32_t>(),
          ScoreMargin(queries.vectors.row(block[b]), cols_, max_row_norm_));
    }
    for (std::size_t first = 0; first < rows_; first += kTargetTile) {
      ScoreBlock(w->queries, &packed_[first * width_], kTargetTile, width_, w->scores.data());
      const std::size_t n = std::min(kTargetTile, rows_ - first);
      for (std::size_t b = 0; b < m; ++b) {
        w->selectors[b].Offer(&w->scores[b * kTargetTile], n, static_cast<std::uint32_t>(first));
      }
    }
    for (std::size_t b = 0; b < m; ++b) {
      const float* query = queries.vectors.row(block[b]);
      w->selectors[b].FinishRescored(&w->ranked, [&](std::uint32_t t) {
        return ExactScore(query, &packed_[t * width_], cols_);
      });
      sink(block[b], w->ranked);
    }
  };
  RunInChunks(
      queries.ids, kQueryBlock, threads,
      [&]() -> ChunkWork {
        Worker worker;
        worker.scores.resize(kQueryBlock * kTargetTile);
        return [&, w = std::move(worker)](std::span<const std::uint32_t> block) mutable {
          rank_block(block, &w);
        };
      },
      progress);
  return Status::Ok();
}

}  // namespace botify::dense
