#include "engine/dense/ann_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>

#include "engine/dense/chunked_work.h"
#include "engine/dense/exact_index.h"

namespace botify::dense {
namespace {

using Label = faiss::Index::idx_t;

// Queries per unit of work (and of progress).
constexpr std::size_t kChunk = 256;

// Sets the calling thread's OpenMP thread count for the scope (an OpenMP setting is per
// thread: faiss's parallel loops started from this thread use it).
class OmpThreads {
 public:
  explicit OmpThreads(int n) : before_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OmpThreads() { omp_set_num_threads(before_); }
  OmpThreads(const OmpThreads&) = delete;
  OmpThreads& operator=(const OmpThreads&) = delete;

 private:
  int before_;
};

// The candidates as points on a sphere (see the header): rows of cols + 2 floats.
std::vector<float> SpherePoints(const Targets& targets, std::vector<std::uint32_t>* target_of) {
  const std::size_t cols = targets.vectors.cols;
  const std::size_t width = cols + 2;
  std::vector<double> squares;
  std::vector<float> points;
  for (std::uint32_t t = 0; t < targets.vectors.rows; ++t) {
    if (std::isnan(targets.bias[t])) continue;
    target_of->push_back(t);
    const float* row = targets.vectors.row(t);
    points.insert(points.end(), row, row + cols);
    points.push_back(targets.bias[t]);
    points.push_back(0.0f);
    double s = double{targets.bias[t]} * targets.bias[t];
    for (std::size_t d = 0; d < cols; ++d) s += double{row[d]} * row[d];
    squares.push_back(s);
  }
  const double max_square =
      squares.empty() ? 0.0 : *std::max_element(squares.begin(), squares.end());
  for (std::size_t i = 0; i < squares.size(); ++i) {
    points[i * width + cols + 1] = static_cast<float>(std::sqrt(max_square - squares[i]));
  }
  return points;
}

// Neighbours asked of faiss beyond k + the exclusions: faiss cuts its list by its own
// scores and ties (scan order), so targets within float rounding of the k-th, or tied
// with it, could fall on either side; with a margin, the re-scored ranking decides.
std::size_t Margin(std::size_t k) { return std::max<std::size_t>(16, k / 4); }

// Scratch of one search worker.
struct Worker {
  std::vector<float> query;  // cols + 2
  std::vector<float> distances;
  std::vector<Label> labels;
  std::vector<std::pair<float, std::uint32_t>> scored;
  std::vector<std::uint32_t> ranked;
};

bool RanksBefore(const std::pair<float, std::uint32_t>& a,
                 const std::pair<float, std::uint32_t>& b) {
  return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

Result<std::unique_ptr<AnnIndex>> AnnIndex::Build(const Targets& targets,
                                                  const IndexOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.kind == IndexKind::kExact) {
    return Status::InvalidArgument("AnnIndex builds ivf or hnsw indexes, not exact");
  }
  std::unique_ptr<AnnIndex> index(new AnnIndex());
  index->options_ = options;
  const std::size_t cols = targets.vectors.cols;
  index->cols_ = cols;
  index->packed_ = std::vector<float>(targets.vectors.rows * (cols + 1));
  for (std::size_t t = 0; t < targets.vectors.rows; ++t) {
    std::copy_n(targets.vectors.row(t), cols, &index->packed_[t * (cols + 1)]);
    index->packed_[t * (cols + 1) + cols] = targets.bias[t];
  }
  const std::vector<float> points = SpherePoints(targets, &index->target_of_);
  const auto n = static_cast<Label>(index->target_of_.size());
  const auto d = static_cast<int>(cols + 2);
  const OmpThreads threads(options.build_threads);
  try {
    if (options.kind == IndexKind::kIvf) {
      index->lists_ = std::min<std::size_t>(options.lists, std::max<Label>(n, 1));
      // Cells by L2 (k-means on the sphere, probed by L2 to the centroids); lists scanned
      // by inner product, which on these points is the score itself.
      auto ivf = std::make_unique<faiss::IndexIVFFlat>(new faiss::IndexFlatL2(d), d,
                                                       index->lists_, faiss::METRIC_INNER_PRODUCT);
      ivf->own_fields = true;
      ivf->cp.spherical = false;  // faiss's default for an inner-product IVF
      ivf->cp.seed = static_cast<int>(options.seed & 0x7fffffff);
      // lists ~ 4 sqrt(n) has ~n / (4 sqrt(n)) points a list; do not warn below 39.
      ivf->cp.min_points_per_centroid = 1;
      ivf->nprobe = std::min(options.probe, index->lists_);
      if (n > 0) {
        ivf->train(n, points.data());
        ivf->add(n, points.data());
      }
      index->index_ = std::move(ivf);
    } else {
      auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(d, static_cast<int>(options.hnsw_m),
                                                         faiss::METRIC_L2);
      hnsw->hnsw.efConstruction = static_cast<int>(options.ef_construction);
      hnsw->hnsw.efSearch = static_cast<int>(options.ef_search);
      hnsw->hnsw.rng = faiss::RandomGenerator(static_cast<std::int64_t>(options.seed));
      if (n > 0) hnsw->add(n, points.data());
      index->index_ = std::move(hnsw);
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("faiss {} index over {} targets: {}",
                                               IndexKindName(options.kind), n, e.what()));
  }
  return index;
}

AnnIndex::~AnnIndex() = default;

Status AnnIndex::Search(const Queries& queries, std::size_t k, int threads,
                        const RankedSink& sink, const Progress& progress) const {
  BOTIFY_RETURN_IF_ERROR(CheckQueries(queries, cols_));
  if (threads < 1) {
    return Status::InvalidArgument(fmt::format("threads must be at least 1, got {}", threads));
  }
  const std::size_t width = cols_ + 1;
  std::mutex error_mu;
  Status error;
  std::atomic<bool> failed{false};
  auto rank_one = [&](std::uint32_t id, Worker* w) {
    const std::span<const std::uint32_t> excluded =
        queries.excluded ? queries.excluded(id) : std::span<const std::uint32_t>();
    const float* q = queries.vectors.row(id);
    std::copy_n(q, cols_, w->query.begin());
    w->query[cols_] = 1.0f;
    w->query[cols_ + 1] = 0.0f;
    const auto want = static_cast<Label>(
        std::min<std::size_t>(k + excluded.size() + Margin(k), target_of_.size()));
    w->scored.clear();
    if (want > 0) {
      w->distances.resize(static_cast<std::size_t>(want));
      w->labels.resize(static_cast<std::size_t>(want));
      if (options_.kind == IndexKind::kIvf) {
        faiss::SearchParametersIVF params;
        params.nprobe = std::min(options_.probe, lists_);
        index_->search(1, w->query.data(), want, w->distances.data(), w->labels.data(), &params);
      } else {
        faiss::SearchParametersHNSW params;
        params.efSearch = static_cast<int>(std::max<std::size_t>(options_.ef_search, want));
        index_->search(1, w->query.data(), want, w->distances.data(), w->labels.data(), &params);
      }
      for (const Label label : w->labels) {
        if (label < 0) continue;  // faiss found fewer than `want`
        const std::uint32_t t = target_of_[static_cast<std::size_t>(label)];
        if (std::binary_search(excluded.begin(), excluded.end(), t)) continue;
        const float* row = &packed_[t * width];
        float score = 0.0f;
        for (std::size_t d = 0; d < cols_; ++d) score += q[d] * row[d];
        w->scored.emplace_back(score + row[cols_], t);
      }
    }
    const std::size_t keep = std::min(k, w->scored.size());
    std::partial_sort(w->scored.begin(), w->scored.begin() + static_cast<std::ptrdiff_t>(keep),
                      w->scored.end(), RanksBefore);
    w->ranked.clear();
    for (std::size_t i = 0; i < keep; ++i) w->ranked.push_back(w->scored[i].second);
    sink(id, w->ranked);
  };
  const OmpThreads caller_threads(1);
  RunInChunks(
      queries.ids, kChunk, threads,
      [&]() -> ChunkWork {
        omp_set_num_threads(1);  // this worker's faiss calls stay on its thread
        Worker worker;
        worker.query.resize(cols_ + 2);
        return [&, w = std::move(worker)](std::span<const std::uint32_t> chunk) mutable {
          if (failed) return;
          try {
            for (const std::uint32_t id : chunk) rank_one(id, &w);
          } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(error_mu);
            if (!failed.exchange(true)) {
              error = Status::Internal(
                  fmt::format("faiss {} search: {}", IndexKindName(options_.kind), e.what()));
            }
          }
        };
      },
      progress);
  return error;
}

}  // namespace botify::dense
