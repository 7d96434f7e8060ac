#include "engine/train/ann/row_clusters.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <thread>

#include "base/random.h"
#include "engine/train/ann/score_tile.h"

namespace botify::train::ann {
namespace {

constexpr std::uint64_t kSampleStream = 0x49564653414d50ULL;

// The candidates as points on the sphere: rows of dim + 2 floats (row, bias, e).
struct Points {
  std::size_t width = 0;  // dim + 2
  std::vector<std::uint32_t> ids;
  std::vector<float> rows;
  const float* row(std::size_t i) const { return rows.data() + i * width; }
};

Points SpherePoints(const RowSet& rows) {
  Points p;
  p.width = rows.dim + 2;
  std::vector<double> squares;
  for (std::uint32_t t = 0; t < rows.size; ++t) {
    if (!rows.candidate(t)) continue;
    p.ids.push_back(t);
    const float* row = rows.row(t);
    const float bias = rows.bias(t);
    p.rows.insert(p.rows.end(), row, row + rows.dim);
    p.rows.push_back(bias);
    p.rows.push_back(0.0f);
    double s = double{bias} * bias;
    for (std::size_t d = 0; d < rows.dim; ++d) s += double{row[d]} * row[d];
    squares.push_back(s);
  }
  const double max_square =
      squares.empty() ? 0.0 : *std::max_element(squares.begin(), squares.end());
  for (std::size_t i = 0; i < p.ids.size(); ++i) {
    p.rows[i * p.width + rows.dim + 1] = static_cast<float>(std::sqrt(max_square - squares[i]));
  }
  return p;
}

// nearest[i] = the centroid nearest to point points[i] (argmax of x.c - |c|^2 / 2, ties to
// the lower centroid), over `threads` workers.
void AssignNearest(const Points& points, std::span<const std::size_t> which,
                   const std::vector<float>& centroids, int threads,
                   std::vector<std::uint32_t>* nearest) {
  const std::size_t k = centroids.size() / points.width;
  const TransposedTable table = Transpose(
      k, points.width, [&](std::size_t c) { return centroids.data() + c * points.width; },
      [&](std::size_t c) {
        double s = 0;
        for (std::size_t d = 0; d < points.width; ++d) {
          s += double{centroids[c * points.width + d]} * centroids[c * points.width + d];
        }
        return static_cast<float>(-s / 2);
      });
  nearest->assign(which.size(), 0);
  const std::size_t groups = (which.size() + kContexts - 1) / kContexts;
  auto work = [&](std::size_t first_group, std::size_t step) {
    std::vector<float> queries(kContexts * points.width, 0.0f);
    std::vector<float> scores(kContexts * kTile);
    std::vector<float> best(kContexts);
    for (std::size_t g = first_group; g < groups; g += step) {
      const std::size_t begin = g * kContexts;
      const std::size_t n = std::min(kContexts, which.size() - begin);
      for (std::size_t b = 0; b < n; ++b) {
        std::copy_n(points.row(which[begin + b]), points.width, &queries[b * points.width]);
      }
      std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
      for (std::size_t tile = 0; tile < table.stride; tile += kTile) {
        ScoreTile(queries.data(), table, tile, kTile, scores.data());
        const std::size_t width = std::min(kTile, k - std::min(k, tile));
        for (std::size_t b = 0; b < n; ++b) {
          for (std::size_t j = 0; j < width; ++j) {
            if (scores[b * kTile + j] > best[b]) {
              best[b] = scores[b * kTile + j];
              (*nearest)[begin + b] = static_cast<std::uint32_t>(tile + j);
            }
          }
        }
      }
    }
  };
  const auto step = static_cast<std::size_t>(std::max(1, threads));
  std::vector<std::jthread> pool;
  for (std::size_t w = 1; w < step; ++w) pool.emplace_back(work, w, step);
  work(0, step);
}

}  // namespace

RowClusters ClusterRows(const RowSet& rows, std::size_t clusters, std::uint64_t seed, int threads,
                        int iterations) {
  const Points points = SpherePoints(rows);
  const std::size_t n = points.ids.size();
  const std::size_t k = std::min(std::max<std::size_t>(clusters, 1), std::max<std::size_t>(n, 1));
  RowClusters out;
  out.dim = rows.dim;
  out.members.resize(n == 0 ? 0 : k);
  if (n == 0) return out;
  // A seeded sample (partial Fisher-Yates); its first k points seed the centroids.
  Rng rng = Rng::ForStream(seed, kSampleStream);
  std::vector<std::size_t> sample(n);
  for (std::size_t i = 0; i < n; ++i) sample[i] = i;
  const std::size_t s = std::min(n, k * kSamplePerCluster);
  for (std::size_t i = 0; i < s; ++i) std::swap(sample[i], sample[i + rng.Uniform(n - i)]);
  sample.resize(s);
  std::vector<float> centroids(k * points.width);
  for (std::size_t c = 0; c < k; ++c) {
    std::copy_n(points.row(sample[c]), points.width, &centroids[c * points.width]);
  }
  std::vector<std::uint32_t> nearest;
  for (int it = 0; it < iterations; ++it) {
    AssignNearest(points, sample, centroids, threads, &nearest);
    std::vector<double> sums(k * points.width, 0.0);
    std::vector<std::size_t> counts(k, 0);
    for (std::size_t i = 0; i < s; ++i) {
      ++counts[nearest[i]];
      for (std::size_t d = 0; d < points.width; ++d) {
        sums[nearest[i] * points.width + d] += points.row(sample[i])[d];
      }
    }
    for (std::size_t c = 0; c < k; ++c) {
      // An empty cluster restarts at a random sample point.
      const std::size_t from = counts[c] == 0 ? sample[rng.Uniform(s)] : 0;
      for (std::size_t d = 0; d < points.width; ++d) {
        centroids[c * points.width + d] =
            counts[c] == 0 ? points.row(from)[d]
                           : static_cast<float>(sums[c * points.width + d] / counts[c]);
      }
    }
  }
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  AssignNearest(points, all, centroids, threads, &nearest);
  for (std::size_t i = 0; i < n; ++i) out.members[nearest[i]].push_back(points.ids[i]);
  out.centroid.resize(k * rows.dim);
  out.centroid_bias.resize(k);
  for (std::size_t c = 0; c < k; ++c) {
    std::copy_n(&centroids[c * points.width], rows.dim, &out.centroid[c * rows.dim]);
    out.centroid_bias[c] = centroids[c * points.width + rows.dim];
  }
  return out;
}

}  // namespace botify::train::ann
