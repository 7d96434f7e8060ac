#include "engine/train/contextual/target_ranker.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/train/contextual/bounded_target_ranker.h"
#include "engine/train/contextual/context_chunks.h"
#include "engine/train/contextual/score_tile.h"
#include "engine/train/contextual/target_selector.h"

namespace botify::train::contextual {
namespace {

constexpr std::size_t kChunk = 256;  // contexts per unit of work (and of progress)

// Every track as a target column; non-candidates have a NaN bias (never ranked).
TransposedTable TargetTable(const ContextualModel& m) {
  return Transpose(
      m.tracks, m.dim, [&](std::size_t j) { return &m.target[j * m.dim]; },
      [&](std::size_t j) { return m.seen_target[j] ? m.target_bias[j] : kNaN; });
}

// Ranks the targets of `contexts` into `sink`.
void RankChunk(const ContextualModel& m, const TransposedTable& t, std::size_t depth,
               std::span<const TrackId> contexts, const RankedSink& sink) {
  std::vector<float> ctx(kContexts * m.dim);
  std::vector<float> scores(kContexts * kTile);
  std::vector<TargetSelector> selectors(kContexts);
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
      ScoreTile(ctx.data(), t, tile, kTile, scores.data());
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

Status RankTargetsExact(const ContextualModel& model, const RankOptions& options,
                        const RankedSink& sink, const RankProgress& progress) {
  const TransposedTable table = TargetTable(model);
  const std::vector<TrackId> contexts = TrainedContexts(model);
  RunInChunks(
      contexts, kChunk, options.threads,
      [&]() -> ChunkWork {
        return [&](std::span<const TrackId> chunk) {
          RankChunk(model, table, options.depth, chunk, sink);
        };
      },
      progress);
  return Status::Ok();
}

}  // namespace

Status RankOptions::Validate() const {
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  if (ann_clusters > 0 && (ann_probe < 1 || ann_probe > ann_clusters)) {
    return Status::InvalidArgument("ann probe must be in [1, ann clusters = " +
                                   std::to_string(ann_clusters) + "], got " +
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
