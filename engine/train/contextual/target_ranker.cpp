#include "engine/train/contextual/target_ranker.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/train/ann/chunked_work.h"
#include "engine/train/ann/clustered_search.h"
#include "engine/train/ann/id_selector.h"
#include "engine/train/ann/score_tile.h"

namespace botify::train::contextual {
namespace {

using ann::kContexts;
using ann::kNaN;
using ann::kTile;
using ann::TransposedTable;

constexpr std::size_t kChunk = 256;  // contexts per unit of work (and of progress)

// Every track as a target column; non-candidates have a NaN bias (never ranked).
TransposedTable TargetTable(const ContextualModel& m) {
  return ann::Transpose(
      m.tracks, m.dim, [&](std::size_t j) { return &m.target[j * m.dim]; },
      [&](std::size_t j) { return m.seen_target[j] ? m.target_bias[j] : kNaN; });
}

// Ranks the targets of `contexts` into `sink`.
void RankChunk(const ContextualModel& m, const TransposedTable& t, std::size_t depth,
               std::span<const TrackId> contexts, const RankedSink& sink) {
  std::vector<float> ctx(kContexts * m.dim);
  std::vector<float> scores(kContexts * kTile);
  std::vector<ann::IdSelector> selectors(kContexts);
  std::vector<TrackId> ranked;
  for (std::size_t first = 0; first < contexts.size(); first += kContexts) {
    const auto ids = contexts.subspan(first, std::min(kContexts, contexts.size() - first));
    std::fill(ctx.begin(), ctx.end(), 0.0f);
    for (std::size_t b = 0; b < ids.size(); ++b) {
      const auto row = m.ContextRow(ids[b]);
      std::copy(row.begin(), row.end(), ctx.begin() + b * m.dim);
    }
    for (auto& s : selectors) s.Reset(depth);
    for (std::size_t tile = 0; tile < t.stride; tile += kTile) {
      ann::ScoreTile(ctx.data(), t, tile, kTile, scores.data());
      for (std::size_t b = 0; b < ids.size(); ++b) {
        float* row = scores.data() + b * kTile;
        if (ids[b] >= tile && ids[b] < tile + kTile) row[ids[b] - tile] = kNaN;  // self
        selectors[b].OfferRun(row, kTile, static_cast<TrackId>(tile));
      }
    }
    for (std::size_t b = 0; b < ids.size(); ++b) {
      selectors[b].Sorted(&ranked);
      sink(ids[b], ranked);
    }
  }
}

// The tracks with a trained context vector in `shard`, ascending: those that get a list.
std::vector<TrackId> TrainedContexts(const ContextualModel& m, const KeyShard& shard) {
  std::vector<TrackId> contexts;
  for (TrackId c = 0; c < m.tracks; ++c) {
    if (m.trained_context[c] && shard.Owns(c)) contexts.push_back(c);
  }
  return contexts;
}

Status RankTargetsExact(const ContextualModel& model, const RankOptions& options,
                        const RankedSink& sink, const RankProgress& progress) {
  const TransposedTable table = TargetTable(model);
  const std::vector<TrackId> contexts = TrainedContexts(model, options.contexts_shard);
  ann::RunInChunks(
      contexts, kChunk, options.threads,
      [&]() -> ann::ChunkWork {
        return [&](std::span<const TrackId> chunk) {
          RankChunk(model, table, options.depth, chunk, sink);
        };
      },
      progress);
  return Status::Ok();
}

// The candidates of the clustered search: every seen target's row and bias.
ann::RowSet Targets(const ContextualModel& m) {
  return ann::RowSet{m.tracks, m.dim, [&m](std::uint32_t t) { return &m.target[t * m.dim]; },
                     [&m](std::uint32_t t) { return m.target_bias[t]; },
                     [&m](std::uint32_t t) { return m.seen_target[t]; }};
}

Status RankTargetsBounded(const ContextualModel& model, const RankOptions& options,
                          const RankedSink& sink, const RankProgress& progress) {
  const ann::RowSet targets = Targets(model);
  const ann::RowClusters clusters =
      ann::ClusterRows(targets, options.ann_clusters, options.seed, options.threads);
  const std::vector<TrackId> contexts = TrainedContexts(model, options.contexts_shard);
  ann::QuerySet queries;
  queries.ids = contexts;
  queries.row = [&model](std::uint32_t c) { return &model.context[c * model.dim]; };
  // A context's only excluded target is itself: a span over its id in `contexts`.
  queries.excluded = [&contexts](std::uint32_t c) {
    return std::span<const std::uint32_t>(&*std::lower_bound(contexts.begin(), contexts.end(), c),
                                          1);
  };
  ann::ClusteredSearchOptions search;
  search.depth = options.depth;
  search.probe = options.ann_probe;
  search.threads = options.threads;
  return ann::SearchClustered(targets, clusters, queries, search, sink, progress);
}

}  // namespace

Status RankOptions::Validate() const {
  BOTIFY_RETURN_IF_ERROR(contexts_shard.Validate());
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  if (ann_clusters > 0 && (ann_probe < 1 || ann_probe > ann_clusters)) {
    return Status::InvalidArgument(
        "ann probe must be in [1, ann clusters = " + std::to_string(ann_clusters) + "], got " +
        std::to_string(ann_probe));
  }
  return Status::Ok();
}

Status RankTargets(const ContextualModel& model, const RankOptions& options, const RankedSink& sink,
                   const RankProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (model.context.size() != model.tracks * model.dim ||
      model.target.size() != model.tracks * model.dim || model.target_bias.size() != model.tracks ||
      model.seen_target.size() != model.tracks || model.trained_context.size() != model.tracks) {
    return Status::InvalidArgument("contextual model tables do not match its size");
  }
  return options.ann_clusters == 0 ? RankTargetsExact(model, options, sink, progress)
                                   : RankTargetsBounded(model, options, sink, progress);
}

}  // namespace botify::train::contextual
