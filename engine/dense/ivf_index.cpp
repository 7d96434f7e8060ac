#include "engine/dense/ivf_index.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <limits>

#include "engine/dense/blas.h"
#include "engine/dense/block_rows.h"
#include "engine/dense/chunked_work.h"
#include "engine/dense/exact_index.h"
#include "engine/dense/faiss_work.h"
#include "engine/dense/ivf_cells.h"
#include "engine/dense/top_k.h"

namespace botify::dense {
namespace {

using Label = faiss::Index::idx_t;

// Queries per unit of work: enough that a cell is searched by many queries of the chunk
// (blocks of kQueryBlock), few enough for the selectors (chunk x 4k entries).
constexpr std::size_t kChunk = 8192;
constexpr std::uint32_t kNoTarget = std::numeric_limits<std::uint32_t>::max();

// A query's searched cells go in tiers by rank, nearest first: rank 0, 1-3, 4-15, 16-63,
// the rest. Scoring tier after tier, a query meets its best cells' targets first, so its
// selector's threshold rises early and later cells' targets mostly fail it (one
// comparison), while each tier still groups many queries per cell into whole blocks.
constexpr std::size_t kTiers = 5;
std::size_t TierOf(std::size_t rank) {
  return rank == 0 ? 0 : rank < 4 ? 1 : rank < 16 ? 2 : rank < 64 ? 3 : 4;
}

// Scratch of one search worker.
struct Worker {
  std::vector<float> probe_rows;  // chunk x (cols + 2): (query, 1, 0)
  std::vector<float> distances;   // chunk x probe
  std::vector<Label> cells;       // chunk x probe, nearest first
  // [tier][c]: chunk positions of the queries that search cell c as one of the ranks of
  // that tier (TierOf).
  std::vector<std::vector<std::uint32_t>> picked_by[kTiers];
  std::vector<TopK> selectors = std::vector<TopK>(kChunk);
  std::vector<std::uint32_t> block_ids;
  std::vector<float> block;
  std::vector<float> scores = std::vector<float>(kQueryBlock * IvfIndex::kCellTile);
  std::vector<std::uint32_t> ranked;
};

}  // namespace

Result<std::unique_ptr<IvfIndex>> IvfIndex::Build(const Targets& targets,
                                                  const IndexOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.kind != IndexKind::kIvf) return Status::InvalidArgument("IvfIndex needs kind ivf");
  UseSingleThreadedBlas();
  std::unique_ptr<IvfIndex> index(new IvfIndex());
  const std::size_t cols = targets.vectors.cols;
  index->cols_ = cols;
  auto built = BuildIvfCells(targets, options);
  if (!built.ok()) return built.status();
  IvfCells cells = std::move(built).value();
  index->begin_.push_back(0);
  index->quantizer_ = std::move(cells.quantizer);
  std::vector<std::vector<std::uint32_t>> members(cells.cells);
  for (std::size_t i = 0; i < cells.ids.size(); ++i) {
    members[static_cast<std::size_t>(cells.cell_of[i])].push_back(cells.ids[i]);
  }
  for (const auto& cell : members) {
    for (const std::uint32_t t : cell) {
      AppendTargetRow(targets.vectors.row(t), cols, targets.bias[t], &index->packed_);
      index->ids_.push_back(t);
    }
    const std::size_t padding = (kCellRows - cell.size() % kCellRows) % kCellRows;
    AppendPaddingRows(padding, cols, &index->packed_);
    index->ids_.insert(index->ids_.end(), padding, kNoTarget);
    index->begin_.push_back(index->ids_.size());
  }
  index->probe_ = std::min(options.probe, cells.cells);
  index->max_row_norm_ = MaxRowNorm(index->packed_.data(), index->ids_.size(), cols);
  index->row_of_.assign(targets.vectors.rows, 0);
  for (std::size_t r = 0; r < index->ids_.size(); ++r) {
    if (index->ids_[r] != kNoTarget) index->row_of_[index->ids_[r]] = r;
  }
  return index;
}

IvfIndex::~IvfIndex() = default;

Status IvfIndex::Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                        const Progress& progress) const {
  BOTIFY_RETURN_IF_ERROR(CheckSearch(queries, cols_, threads));
  const std::size_t width = cols_ + 1;
  const std::size_t cells = begin_.size() - 1;
  auto search_chunk = [&](std::span<const std::uint32_t> chunk, Worker* w) {
    const std::size_t m = chunk.size();
    for (std::size_t b = 0; b < m; ++b) {
      w->selectors[b].Reset(
          k, queries.excluded ? queries.excluded(chunk[b]) : std::span<const std::uint32_t>(),
          ScoreMargin(queries.vectors.row(chunk[b]), cols_, max_row_norm_));
    }
    if (cells > 0) {
      w->probe_rows.clear();
      for (const std::uint32_t id : chunk) {
        AppendSphereQuery(queries.vectors.row(id), cols_, &w->probe_rows);
      }
      w->distances.resize(m * probe_);
      w->cells.resize(m * probe_);
      quantizer_->search(static_cast<Label>(m), w->probe_rows.data(), static_cast<Label>(probe_),
                         w->distances.data(), w->cells.data());
      for (auto& by : w->picked_by) by.assign(cells, {});
      for (std::size_t b = 0; b < m; ++b) {
        for (std::size_t r = 0; r < probe_; ++r) {
          const Label c = w->cells[b * probe_ + r];
          if (c >= 0) w->picked_by[TierOf(r)][static_cast<std::size_t>(c)].push_back(b);
        }
      }
    }
    for (const auto& by : w->picked_by) {
      for (std::size_t c = 0; c < by.size(); ++c) {
        for (std::size_t first = 0; first < by[c].size(); first += kQueryBlock) {
          const auto group =
              std::span(by[c]).subspan(first, std::min(kQueryBlock, by[c].size() - first));
          w->block_ids.clear();
          for (const std::uint32_t b : group) w->block_ids.push_back(chunk[b]);
          LoadQueryBlock(queries.vectors, w->block_ids, &w->block);
          for (std::size_t tile = begin_[c]; tile < begin_[c + 1]; tile += kCellTile) {
            const std::size_t n = std::min(kCellTile, begin_[c + 1] - tile);
            ScoreBlock(w->block, &packed_[tile * width], n, width, w->scores.data());
            for (std::size_t i = 0; i < group.size(); ++i) {
              w->selectors[group[i]].OfferIds(&w->scores[i * n], &ids_[tile], n);
            }
          }
        }
      }
    }
    for (std::size_t b = 0; b < m; ++b) {
      const float* query = queries.vectors.row(chunk[b]);
      w->selectors[b].FinishRescored(&w->ranked, [&](std::uint32_t t) {
        return ExactScore(query, &packed_[row_of_[t] * width], cols_);
      });
      sink(chunk[b], w->ranked);
    }
  };
  return RunFaissChunksWithScratch<Worker>(queries.ids, kChunk, threads, search_chunk, progress,
                                           "faiss ivf search");
}

}  // namespace botify::dense
