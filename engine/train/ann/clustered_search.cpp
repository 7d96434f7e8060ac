#include "engine/train/ann/clustered_search.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/train/ann/id_selector.h"
#include "engine/train/ann/score_tile.h"

namespace botify::train::ann {
namespace {

// Queries per unit of work: large enough that a cluster is picked by many queries of the
// chunk (the kernel scores kContexts at a time), small enough for the selectors (chunk x
// depth entries).
constexpr std::size_t kChunk = 4096;

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// The clustered targets, cluster after cluster, each cluster's columns padded to a
// multiple of kLanes (padding has a NaN bias: never ranked).
struct ClusterTable {
  TransposedTable members;                // columns of every cluster's members
  std::vector<std::uint32_t> column_id;   // column -> target (padding: 0)
  std::vector<std::size_t> begin;         // cluster -> first column; size clusters + 1
  std::vector<std::size_t> column_of_id;  // target -> column (kNoColumn if unclustered)
  TransposedTable probe;                  // centroids, biased by their bias part
};

ClusterTable BuildTable(const RowSet& targets, const RowClusters& clusters) {
  ClusterTable t;
  t.column_of_id.assign(targets.size, kNoColumn);
  t.begin.push_back(0);
  for (const auto& members : clusters.members) {
    for (const std::uint32_t id : members) {
      t.column_of_id[id] = t.column_id.size();
      t.column_id.push_back(id);
    }
    t.column_id.resize((t.column_id.size() + kLanes - 1) / kLanes * kLanes, 0);
    t.begin.push_back(t.column_id.size());
  }
  const std::vector<float> zeros(targets.dim, 0.0f);
  auto is_member = [&](std::size_t column) {
    return t.column_of_id[t.column_id[column]] == column;
  };
  t.members = Transpose(
      t.column_id.size(), targets.dim,
      [&](std::size_t c) { return is_member(c) ? targets.row(t.column_id[c]) : zeros.data(); },
      [&](std::size_t c) { return is_member(c) ? targets.bias(t.column_id[c]) : kNaN; });
  t.probe = Transpose(
      clusters.size(), targets.dim,
      [&](std::size_t c) { return &clusters.centroid[c * targets.dim]; },
      [&](std::size_t c) {
        return clusters.members[c].empty() ? kNaN : clusters.centroid_bias[c];
      });
  return t;
}

// Scratch of one worker.
struct Worker {
  std::vector<float> queries;
  std::vector<float> scores = std::vector<float>(kContexts * kTile);
  std::vector<IdSelector> selectors = std::vector<IdSelector>(kChunk);
  std::vector<IdSelector> probes = std::vector<IdSelector>(kContexts);
  // [0][c]: the chunk positions of the queries whose best cluster is c; [1][c]: of those
  // that probe c among their others.
  std::vector<std::vector<std::uint32_t>> picked_by[2];
  std::vector<std::uint32_t> probed;
  std::vector<std::uint32_t> ranked;
};

// The search's constant inputs.
struct Search {
  const RowSet& targets;
  const QuerySet& queries;
  const ClusterTable& table;
  const ClusteredSearchOptions& options;
};

void LoadQueries(const Search& s, std::span<const std::uint32_t> chunk,
                 std::span<const std::uint32_t> positions, std::vector<float>* queries) {
  const std::size_t dim = s.targets.dim;
  queries->assign(kContexts * dim, 0.0f);
  for (std::size_t b = 0; b < positions.size(); ++b) {
    const float* row = s.queries.row(chunk[positions[b]]);
    std::copy(row, row + dim, queries->begin() + b * dim);
  }
}

// Fills w->picked_by with the positions in `chunk` of the queries that probe each cluster.
void PickClusters(const Search& s, std::span<const std::uint32_t> chunk, Worker* w) {
  const std::size_t clusters = s.table.begin.size() - 1;
  for (auto& by : w->picked_by) by.assign(clusters, {});
  std::vector<std::uint32_t> group;
  for (std::size_t first = 0; first < chunk.size(); first += kContexts) {
    group.clear();
    for (std::size_t b = first; b < std::min(chunk.size(), first + kContexts); ++b) {
      group.push_back(static_cast<std::uint32_t>(b));
    }
    LoadQueries(s, chunk, group, &w->queries);
    for (std::size_t b = 0; b < group.size(); ++b) w->probes[b].Reset(s.options.probe);
    for (std::size_t tile = 0; tile < s.table.probe.stride; tile += kTile) {
      ScoreTile(w->queries.data(), s.table.probe, tile, kTile, w->scores.data());
      for (std::size_t b = 0; b < group.size(); ++b) {
        w->probes[b].OfferRun(&w->scores[b * kTile], kTile, static_cast<std::uint32_t>(tile));
      }
    }
    for (std::size_t b = 0; b < group.size(); ++b) {
      w->probes[b].Sorted(&w->probed);
      for (std::size_t r = 0; r < w->probed.size(); ++r) {
        w->picked_by[r == 0 ? 0 : 1][w->probed[r]].push_back(group[b]);
      }
    }
  }
}

// Scores the queries at `positions` of `chunk` against the members of `cluster`.
void ScoreCluster(const Search& s, std::size_t cluster, std::span<const std::uint32_t> chunk,
                  std::span<const std::uint32_t> positions, Worker* w) {
  const ClusterTable& t = s.table;
  LoadQueries(s, chunk, positions, &w->queries);
  for (std::size_t col = t.begin[cluster]; col < t.begin[cluster + 1]; col += kTile) {
    const std::size_t width = std::min(kTile, t.begin[cluster + 1] - col);
    ScoreTile(w->queries.data(), t.members, col, width, w->scores.data());
    for (std::size_t b = 0; b < positions.size(); ++b) {
      float* row = &w->scores[b * kTile];
      for (const std::uint32_t id : s.queries.excluded(chunk[positions[b]])) {
        const std::size_t c = id < t.column_of_id.size() ? t.column_of_id[id] : kNoColumn;
        if (c != kNoColumn && c >= col && c < col + width) row[c - col] = kNaN;
      }
      w->selectors[positions[b]].OfferIds(row, &t.column_id[col], width);
    }
  }
}

void SearchChunk(const Search& s, std::span<const std::uint32_t> chunk, const RankedSink& sink,
                 Worker* w) {
  PickClusters(s, chunk, w);
  for (std::size_t b = 0; b < chunk.size(); ++b) w->selectors[b].Reset(s.options.depth);
  for (const auto& by : w->picked_by) {
    for (std::size_t c = 0; c < by.size(); ++c) {
      const std::span<const std::uint32_t> picked = by[c];
      for (std::size_t first = 0; first < picked.size(); first += kContexts) {
        ScoreCluster(s, c, chunk, picked.subspan(first, std::min(kContexts, picked.size() - first)),
                     w);
      }
    }
  }
  for (std::size_t b = 0; b < chunk.size(); ++b) {
    w->selectors[b].Sorted(&w->ranked);
    sink(chunk[b], w->ranked);
  }
}

}  // namespace

Status ClusteredSearchOptions::Validate(std::size_t clusters) const {
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  if (probe < 1 || probe > clusters) {
    return Status::InvalidArgument("probe must be in [1, clusters = " + std::to_string(clusters) +
                                   "], got " + std::to_string(probe));
  }
  return Status::Ok();
}

Status SearchClustered(const RowSet& targets, const RowClusters& clusters, const QuerySet& queries,
                       const ClusteredSearchOptions& options, const RankedSink& sink,
                       const ChunkProgress& progress) {
  if (clusters.dim != targets.dim) {
    return Status::InvalidArgument("clusters of " + std::to_string(clusters.dim) +
                                   " dims for rows of " + std::to_string(targets.dim));
  }
  ClusteredSearchOptions o = options;
  o.probe = std::min(options.probe, std::max<std::size_t>(clusters.size(), 1));
  BOTIFY_RETURN_IF_ERROR(o.Validate(std::max<std::size_t>(clusters.size(), 1)));
  const ClusterTable table = BuildTable(targets, clusters);
  const Search search{targets, queries, table, o};
  RunInChunks(
      queries.ids, kChunk, o.threads,
      [&]() -> ChunkWork {
        return [&, w = Worker()](std::span<const std::uint32_t> chunk) mutable {
          SearchChunk(search, chunk, sink, &w);
        };
      },
      progress);
  return Status::Ok();
}

}  // namespace botify::train::ann
