#include "engine/train/contextual/bounded_target_ranker.h"

#include <algorithm>
#include <vector>

#include "engine/train/contextual/context_chunks.h"
#include "engine/train/contextual/score_tile.h"
#include "engine/train/contextual/target_clusters.h"
#include "engine/train/contextual/target_selector.h"

namespace botify::train::contextual {
namespace {

// Contexts per unit of work: large enough that a cluster is picked by many contexts of
// the chunk (the kernel scores kContexts at a time), small enough for the selectors
// (chunk x depth entries).
constexpr std::size_t kChunk = 4096;

// The clustered targets, cluster after cluster, each cluster's columns padded to a
// multiple of kLanes (padding has a NaN bias: never ranked).
struct ClusterTable {
  TransposedTable members;                  // columns of every cluster's members
  std::vector<TrackId> column_track;        // column -> track (padding: 0)
  std::vector<std::size_t> begin;           // cluster -> first column; size clusters + 1
  std::vector<std::size_t> column_of_track;  // track -> column (kNoColumn if unclustered)
  TransposedTable probe;                    // centroids, biased by their bias part
};

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

ClusterTable BuildTable(const ContextualModel& m, const TargetClusters& clusters) {
  ClusterTable t;
  t.column_of_track.assign(m.tracks, kNoColumn);
  t.begin.push_back(0);
  for (const auto& members : clusters.members) {
    for (const TrackId id : members) {
      t.column_of_track[id] = t.column_track.size();
      t.column_track.push_back(id);
    }
    t.column_track.resize((t.column_track.size() + kLanes - 1) / kLanes * kLanes, 0);
    t.begin.push_back(t.column_track.size());
  }
  const std::vector<float> zeros(m.dim, 0.0f);
  auto is_member = [&](std::size_t column) {
    return t.column_of_track[t.column_track[column]] == column;
  };
  t.members = Transpose(
      t.column_track.size(), m.dim,
      [&](std::size_t c) { return is_member(c) ? &m.target[t.column_track[c] * m.dim] : zeros.data(); },
      [&](std::size_t c) { return is_member(c) ? m.target_bias[t.column_track[c]] : kNaN; });
  t.probe = Transpose(
      clusters.size(), m.dim, [&](std::size_t c) { return &clusters.centroid[c * m.dim]; },
      [&](std::size_t c) { return clusters.members[c].empty() ? kNaN : clusters.centroid_bias[c]; });
  return t;
}

// Scratch of one worker.
struct Worker {
  std::vector<float> queries;
  std::vector<float> scores = std::vector<float>(kContexts * kTile);
  std::vector<TargetSelector> selectors = std::vector<TargetSelector>(kChunk);
  // [0][c]: the chunk positions of the contexts whose best cluster is c; [1][c]: of those
  // that probe c among their others.
  std::vector<std::vector<std::uint32_t>> picked_by[2];
  std::vector<TrackId> probed;
  std::vector<TrackId> ranked;
};

void LoadQueries(const ContextualModel& m, std::span<const TrackId> contexts,
                 std::span<const std::uint32_t> positions, std::vector<float>* queries) {
  queries->assign(kContexts * m.dim, 0.0f);
  for (std::size_t b = 0; b < positions.size(); ++b) {
    const auto row = m.ContextRow(contexts[positions[b]]);
    std::copy(row.begin(), row.end(), queries->begin() + b * m.dim);
  }
}

// Fills w->picked_by with the positions in `contexts` of the contexts that probe each
// cluster.
void PickClusters(const ContextualModel& m, const ClusterTable& t, std::size_t probe,
                  std::span<const TrackId> contexts, Worker* w) {
  const std::size_t clusters = t.begin.size() - 1;
  for (auto& by : w->picked_by) by.assign(clusters, {});
  std::vector<std::uint32_t> group;
  for (std::size_t first = 0; first < contexts.size(); first += kContexts) {
    group.clear();
    for (std::size_t b = first; b < std::min(contexts.size(), first + kContexts); ++b) {
      group.push_back(static_cast<std::uint32_t>(b));
    }
    LoadQueries(m, contexts, group, &w->queries);
    std::vector<TargetSelector> best(group.size());
    for (auto& s : best) s.Reset(probe);
    for (std::size_t tile = 0; tile < t.probe.stride; tile += kTile) {
      ScoreTile(w->queries.data(), t.probe, tile, kTile, w->scores.data());
      for (std::size_t b = 0; b < group.size(); ++b) {
        best[b].OfferRun(&w->scores[b * kTile], kTile, static_cast<TrackId>(tile));
      }
    }
    for (std::size_t b = 0; b < group.size(); ++b) {
      best[b].Sorted(&w->probed);
      for (std::size_t r = 0; r < w->probed.size(); ++r) {
        w->picked_by[r == 0 ? 0 : 1][w->probed[r]].push_back(group[b]);
      }
    }
  }
}

// Scores the contexts at `positions` against the members of `cluster`.
void ScoreCluster(const ContextualModel& m, const ClusterTable& t, std::size_t cluster,
                  std::span<const TrackId> contexts, std::span<const std::uint32_t> positions,
                  Worker* w) {
  LoadQueries(m, contexts, positions, &w->queries);
  for (std::size_t col = t.begin[cluster]; col < t.begin[cluster + 1]; col += kTile) {
    const std::size_t width = std::min(kTile, t.begin[cluster + 1] - col);
    ScoreTile(w->queries.data(), t.members, col, width, w->scores.data());
    for (std::size_t b = 0; b < positions.size(); ++b) {
      float* row = &w->scores[b * kTile];
      const std::size_t self = t.column_of_track[contexts[positions[b]]];
      if (self != kNoColumn && self >= col && self < col + width) row[self - col] = kNaN;
      w->selectors[positions[b]].OfferIds(row, &t.column_track[col], width);
    }
  }
}

void RankChunk(const ContextualModel& m, const ClusterTable& t, const RankOptions& o,
               std::span<const TrackId> contexts, const RankedSink& sink, Worker* w) {
  PickClusters(m, t, o.ann_probe, contexts, w);
  for (std::size_t b = 0; b < contexts.size(); ++b) w->selectors[b].Reset(o.depth);
  // Every context's best cluster first: its selector fills with good targets, so the
  // other clusters' targets mostly fail the threshold test instead of entering the heap
  // (the lists do not depend on the order, target_selector.h).
  for (const auto& by : w->picked_by) {
    for (std::size_t c = 0; c < by.size(); ++c) {
      const std::span<const std::uint32_t> picked = by[c];
      for (std::size_t first = 0; first < picked.size(); first += kContexts) {
        ScoreCluster(m, t, c, contexts,
                     picked.subspan(first, std::min(kContexts, picked.size() - first)), w);
      }
    }
  }
  for (std::size_t b = 0; b < contexts.size(); ++b) {
    w->selectors[b].Sorted(&w->ranked);
    sink(contexts[b], w->ranked);
  }
}

}  // namespace

Status RankTargetsBounded(const ContextualModel& model, const RankOptions& options,
                          const RankedSink& sink, const RankProgress& progress) {
  const TargetClusters clusters =
      ClusterTargets(model, options.ann_clusters, options.seed, options.threads);
  const ClusterTable table = BuildTable(model, clusters);
  RankOptions o = options;
  o.ann_probe = std::min(options.ann_probe, clusters.size());
  const std::vector<TrackId> contexts = TrainedContexts(model);
  RunInChunks(
      contexts, kChunk, options.threads,
      [&]() -> ChunkWork {
        return [&, w = Worker()](std::span<const TrackId> chunk) mutable {
          RankChunk(model, table, o, chunk, sink, &w);
        };
      },
      progress);
  return Status::Ok();
}

}  // namespace botify::train::contextual
