#include "engine/sim/neighbour_index.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "engine/dense/block_rows.h"

namespace botify::sim {
namespace {

dense::MatrixView View(const FloatMatrix& m) { return {m.data.data(), m.rows, m.cols, m.cols}; }

// The exact index over the embeddings: no biases (0), every track a candidate.
std::unique_ptr<dense::Index> BuildIndex(const FloatMatrix& embeddings) {
  const std::vector<float> bias(embeddings.rows, 0.0f);
  // Exact options over a consistent view are always valid: value() aborts on a bug.
  return dense::BuildIndex({View(embeddings), bias}, dense::IndexOptions{}).value();
}

// The lists of `queries` (rows of `vectors`), on the calling thread.
std::map<TrackId, std::vector<TrackId>> Search(const dense::Index& index,
                                               const dense::MatrixView& vectors,
                                               std::span<const TrackId> queries, std::size_t k) {
  std::map<TrackId, std::vector<TrackId>> lists;
  const Status status =
      index.Search({queries, vectors, {}}, k, 1, [&](TrackId q, std::span<const TrackId> ranked) {
        lists[q].assign(ranked.begin(), ranked.end());
      });
  if (!status.ok()) {  // a bug: the queries are rows of the index's own matrix
    std::fprintf(stderr, "neighbour search: %s\n", status.message().c_str());
    std::abort();
  }
  return lists;
}

}  // namespace

std::vector<TrackId> ExactTopK(const FloatMatrix& embeddings, std::span<const float> query,
                               std::size_t k) {
  const FloatMatrix one{1, query.size(), {query.begin(), query.end()}};
  const TrackId id = 0;
  return Search(*BuildIndex(embeddings), View(one), {&id, 1}, k)[0];
}

NeighbourIndex::NeighbourIndex(const FloatMatrix& embeddings, std::size_t depth,
                               const std::vector<TrackId>& likely)
    : embeddings_(embeddings), depth_(depth), index_(BuildIndex(embeddings)) {
  std::vector<TrackId> pending = likely;
  std::sort(pending.begin(), pending.end(), std::greater<>());  // taken from the back
  pending.erase(std::unique(pending.begin(), pending.end()), pending.end());
  MutexLock lock(mu_);
  pending_ = std::move(pending);
}

std::span<const TrackId> NeighbourIndex::Nearest(TrackId track) {
  std::vector<TrackId> batch = {track};
  {
    MutexLock lock(mu_);
    auto it = cache_.find(track);
    if (it != cache_.end()) return *it->second;
    while (batch.size() < dense::kQueryBlock && !pending_.empty()) {
      const TrackId t = pending_.back();
      pending_.pop_back();
      if (t != track && t < embeddings_.rows && cache_.count(t) == 0) batch.push_back(t);
    }
  }
  // Computed outside the lock: concurrent misses compute disjoint batches (a track asked
  // for by two at once is computed twice, and the second list discarded).
  auto lists = Search(*index_, View(embeddings_), batch, depth_);
  MutexLock lock(mu_);
  for (auto& [t, list] : lists) {
    cache_.try_emplace(t, std::make_unique<const std::vector<TrackId>>(std::move(list)));
  }
  return *cache_.at(track);
}

std::size_t NeighbourIndex::cached() const {
  MutexLock lock(mu_);
  return cache_.size();
}

}  // namespace botify::sim
