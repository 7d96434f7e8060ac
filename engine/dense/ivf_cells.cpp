#include "engine/dense/ivf_cells.h"

#include <faiss/Clustering.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "engine/dense/block_rows.h"
#include "engine/dense/faiss_work.h"

namespace botify::dense {
namespace {

// The candidates (non-NaN bias) as points on the sphere: rows of cols + 2 floats.
std::vector<float> SpherePoints(const Targets& targets, std::vector<std::uint32_t>* ids) {
  const std::size_t cols = targets.vectors.cols;
  std::vector<double> squares;
  std::vector<float> points;
  for (std::uint32_t t = 0; t < targets.vectors.rows; ++t) {
    if (std::isnan(targets.bias[t])) continue;
    ids->push_back(t);
    AppendTargetRow(targets.vectors.row(t), cols, targets.bias[t], &points);
    double s = 0;
    for (auto x = points.end() - static_cast<std::ptrdiff_t>(cols + 1); x != points.end(); ++x) {
      s += double{*x} * *x;
    }
    squares.push_back(s);
    points.push_back(0.0f);  // e, set below
  }
  const double max_square =
      squares.empty() ? 0.0 : *std::max_element(squares.begin(), squares.end());
  for (std::size_t i = 0; i < squares.size(); ++i) {
    points[i * (cols + 2) + cols + 1] = static_cast<float>(std::sqrt(max_square - squares[i]));
  }
  return points;
}

}  // namespace

Result<IvfCells> BuildIvfCells(const Targets& targets, const IndexOptions& options) {
  IvfCells cells;
  const std::size_t cols = targets.vectors.cols;
  cells.dims = cols + 2;
  cells.points = SpherePoints(targets, &cells.ids);
  const auto n = static_cast<IvfCells::Label>(cells.ids.size());
  if (n == 0) return cells;
  cells.cells = std::min<std::size_t>(options.lists, cells.ids.size());
  cells.cell_of.resize(cells.ids.size());
  try {
    const OmpThreads threads(options.build_threads);
    faiss::ClusteringParameters cp;  // as IndexIVF trains its cells: 10 Lloyd steps, L2
    cp.niter = 10;
    cp.seed = static_cast<int>(options.seed & 0x7fffffff);
    cp.min_points_per_centroid = 1;  // lists ~ 4 sqrt(n) has fewer than faiss's 39 a cell
    faiss::Clustering clustering(static_cast<int>(cells.dims), cells.cells, cp);
    cells.quantizer =
        std::make_unique<faiss::IndexFlatL2>(static_cast<IvfCells::Label>(cells.dims));
    clustering.train(n, cells.points.data(), *cells.quantizer);
    std::vector<float> distances(cells.ids.size());
    cells.quantizer->search(n, cells.points.data(), 1, distances.data(), cells.cell_of.data());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(
        fmt::format("faiss k-means of {} targets into {} cells: {}", n, cells.cells, e.what()));
  }
  return cells;
}

void AppendSphereQuery(const float* vector, std::size_t cols, std::vector<float>* rows) {
  AppendTargetRow(vector, cols, 1.0f, rows);
  rows->push_back(0.0f);
}

}  // namespace botify::dense
