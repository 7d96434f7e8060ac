#include "engine/dense/hnsw_index.h"

#include <faiss/IndexHNSW.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "engine/dense/blas.h"
#include "engine/dense/block_rows.h"
#include "engine/dense/candidates.h"
#include "engine/dense/chunked_work.h"
#include "engine/dense/exact_index.h"
#include "engine/dense/faiss_work.h"

namespace botify::dense {
namespace {

using Label = faiss::Index::idx_t;

// Queries per unit of work (and of progress).
constexpr std::size_t kChunk = 256;

// Neighbours asked of faiss beyond k + the exclusions (see the header).
std::size_t Margin(std::size_t k) { return std::max<std::size_t>(16, k / 4); }

// Scratch of one search worker.
struct Worker {
  std::vector<float> query;  // cols + 1: (query, 1)
  std::vector<float> distances;
  std::vector<Label> labels;
  std::vector<ScoredCandidate> scored;
  std::vector<std::uint32_t> ranked;
};

}  // namespace

Result<std::unique_ptr<HnswIndex>> HnswIndex::Build(const Targets& targets,
                                                    const IndexOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.kind != IndexKind::kHnsw) {
    return Status::InvalidArgument("HnswIndex needs kind hnsw");
  }
  UseSingleThreadedBlas();
  std::unique_ptr<HnswIndex> index(new HnswIndex());
  const std::size_t cols = targets.vectors.cols;
  index->cols_ = cols;
  index->ef_search_ = options.ef_search;
  std::vector<float> candidates;
  for (std::uint32_t t = 0; t < targets.vectors.rows; ++t) {
    AppendTargetRow(targets.vectors.row(t), cols, targets.bias[t], &index->rows_);
    if (std::isnan(targets.bias[t])) continue;
    index->target_of_.push_back(t);
    AppendTargetRow(targets.vectors.row(t), cols, targets.bias[t], &candidates);
  }
  const auto n = static_cast<Label>(index->target_of_.size());
  try {
    const OmpThreads threads(options.build_threads);
    index->graph_ = std::make_unique<faiss::IndexHNSWFlat>(
        static_cast<int>(cols + 1), static_cast<int>(options.hnsw_m), faiss::METRIC_INNER_PRODUCT);
    index->graph_->hnsw.efConstruction = static_cast<int>(options.ef_construction);
    index->graph_->hnsw.efSearch = static_cast<int>(options.ef_search);
    index->graph_->hnsw.rng = faiss::RandomGenerator(static_cast<std::int64_t>(options.seed));
    if (n > 0) index->graph_->add(n, candidates.data());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(
        fmt::format("faiss hnsw graph over {} targets: {}", n, e.what()));
  }
  return index;
}

HnswIndex::~HnswIndex() = default;

Status HnswIndex::Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                         const Progress& progress) const {
  BOTIFY_RETURN_IF_ERROR(CheckSearch(queries, cols_, threads));
  const std::size_t width = cols_ + 1;
  auto rank_one = [&](std::uint32_t id, Worker* w) {
    const std::span<const std::uint32_t> excluded =
        queries.excluded ? queries.excluded(id) : std::span<const std::uint32_t>();
    const float* q = queries.vectors.row(id);
    std::copy_n(q, cols_, w->query.begin());
    w->query[cols_] = 1.0f;
    const auto want = static_cast<Label>(
        std::min<std::size_t>(k + excluded.size() + Margin(k), target_of_.size()));
    w->scored.clear();
    if (want > 0 && k > 0) {
      w->distances.resize(static_cast<std::size_t>(want));
      w->labels.resize(static_cast<std::size_t>(want));
      faiss::SearchParametersHNSW params;
      params.efSearch = static_cast<int>(std::max<std::size_t>(ef_search_, want));
      graph_->search(1, w->query.data(), want, w->distances.data(), w->labels.data(), &params);
      for (const Label label : w->labels) {
        if (label < 0) continue;  // faiss found fewer than `want`
        const std::uint32_t t = target_of_[static_cast<std::size_t>(label)];
        if (std::binary_search(excluded.begin(), excluded.end(), t)) continue;
        const float* row = &rows_[t * width];
        float score = 0.0f;
        for (std::size_t d = 0; d < cols_; ++d) score += q[d] * row[d];
        w->scored.emplace_back(score + row[cols_], t);
      }
    }
    RankCandidates(k, &w->scored, &w->ranked);
    sink(id, w->ranked);
  };
  return RunFaissChunks(
      queries.ids, kChunk, threads,
      [&]() -> ChunkWork {
        Worker worker;
        worker.query.resize(cols_ + 1);
        return [&, w = std::move(worker)](std::span<const std::uint32_t> chunk) mutable {
          for (const std::uint32_t id : chunk) rank_one(id, &w);
        };
      },
      progress, "faiss hnsw search");
}

}  // namespace botify::dense
