#include "engine/dense/ivf_flat_index.h"

#include <faiss/IndexIVFFlat.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "engine/dense/blas.h"
#include "engine/dense/candidates.h"
#include "engine/dense/chunked_work.h"
#include "engine/dense/exact_index.h"
#include "engine/dense/faiss_work.h"
#include "engine/dense/ivf_cells.h"

namespace botify::dense {
namespace {

using Label = faiss::Index::idx_t;

// Queries per unit of work: one quantizer search (a BLAS product) for the chunk.
constexpr std::size_t kChunk = 256;

// Scratch of one search worker.
struct Worker {
  std::vector<float> rows;    // chunk x (cols + 2): (query, 1, 0)
  std::vector<float> coarse;  // chunk x probe: distances to the searched cells' centroids
  std::vector<Label> cells;   // chunk x probe, nearest first
  std::vector<float> scores;
  std::vector<Label> labels;
  std::vector<ScoredCandidate> scored;
  std::vector<std::uint32_t> ranked;
};

}  // namespace

Result<std::unique_ptr<IvfFlatIndex>> IvfFlatIndex::Build(const Targets& targets,
                                                          const IndexOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.kind != IndexKind::kIvfFlat) {
    return Status::InvalidArgument("IvfFlatIndex needs kind ivf-flat");
  }
  UseSingleThreadedBlas();
  std::unique_ptr<IvfFlatIndex> index(new IvfFlatIndex());
  index->cols_ = targets.vectors.cols;
  auto built = BuildIvfCells(targets, options);
  if (!built.ok()) return built.status();
  IvfCells cells = std::move(built).value();
  if (cells.cells == 0) return index;
  index->target_of_ = std::move(cells.ids);
  index->probe_ = std::min(options.probe, cells.cells);
  try {
    // The quantizer is trained and holds `cells` centroids, so the index is trained; the
    // points go to the cells k-means gave them.
    index->ivf_ = std::make_unique<faiss::IndexIVFFlat>(cells.quantizer.get(), cells.dims,
                                                        cells.cells, faiss::METRIC_INNER_PRODUCT);
    cells.quantizer.release();
    index->ivf_->own_fields = true;
    index->ivf_->nprobe = index->probe_;
    index->ivf_->add_core(static_cast<Label>(index->target_of_.size()), cells.points.data(),
                          nullptr, cells.cell_of.data());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("faiss IndexIVFFlat over {} targets in {} cells: {}",
                                               index->target_of_.size(), cells.cells, e.what()));
  }
  return index;
}

IvfFlatIndex::~IvfFlatIndex() = default;

Status IvfFlatIndex::Search(const Queries& queries, std::size_t k, int threads,
                            const RankedSink& sink, const Progress& progress) const {
  BOTIFY_RETURN_IF_ERROR(CheckSearch(queries, cols_, threads));
  const std::size_t dims = cols_ + 2;
  auto search_chunk = [&](std::span<const std::uint32_t> chunk, Worker* w) {
    const std::size_t m = chunk.size();
    if (ivf_ != nullptr) {
      w->rows.clear();
      for (const std::uint32_t id : chunk) {
        AppendSphereQuery(queries.vectors.row(id), cols_, &w->rows);
      }
      w->coarse.resize(m * probe_);
      w->cells.resize(m * probe_);
      ivf_->quantizer->search(static_cast<Label>(m), w->rows.data(), static_cast<Label>(probe_),
                              w->coarse.data(), w->cells.data());
    }
    for (std::size_t b = 0; b < m; ++b) {
      const std::span<const std::uint32_t> excluded =
          queries.excluded ? queries.excluded(chunk[b]) : std::span<const std::uint32_t>();
      const std::size_t want =
          ivf_ == nullptr ? 0 : std::min(k + excluded.size(), target_of_.size());
      w->scored.clear();
      if (want > 0 && k > 0) {
        w->scores.resize(want);
        w->labels.resize(want);
        ivf_->search_preassigned(1, &w->rows[b * dims], static_cast<Label>(want),
                                 &w->cells[b * probe_], &w->coarse[b * probe_], w->scores.data(),
                                 w->labels.data(), false);
        for (std::size_t i = 0; i < want; ++i) {
          if (w->labels[i] < 0) continue;  // fewer than `want` in the searched cells
          const std::uint32_t t = target_of_[static_cast<std::size_t>(w->labels[i])];
          if (std::binary_search(excluded.begin(), excluded.end(), t)) continue;
          w->scored.emplace_back(w->scores[i], t);
        }
      }
      RankCandidates(k, &w->scored, &w->ranked);
      sink(chunk[b], w->ranked);
    }
  };
  return RunFaissChunksWithScratch<Worker>(queries.ids, kChunk, threads, search_chunk, progress,
                                           "faiss ivf-flat search");
}

}  // namespace botify::dense
