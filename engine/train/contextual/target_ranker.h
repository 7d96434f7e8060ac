// Top-k targets of every context track of a ContextualModel (blocked dot products,
// engine/train/ann/score_tile.h).
//
// Ranking: score = model.Score(context, target), descending; equal scores go to the lower
// track id; NaN and -inf scores are never ranked. Candidates are the tracks with
// model.seen_target, except the context itself. Exact by default: every candidate is
// scored. Bounded with ann_clusters > 0 (engine/train/ann/clustered_search.h): only the candidates
// in the context's ann_probe best clusters of targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "base/key_shard.h"
#include "base/status.h"
#include "engine/train/contextual/contextual_model.h"

namespace botify::train::contextual {

struct RankOptions {
  // Targets kept per context (fewer if there are fewer candidates).
  std::size_t depth = 100;
  // Scoring workers.
  int threads = 2;
  // Bounded ranking: 0 (the default) ranks every candidate. > 0 clusters the candidates
  // into this many clusters (engine/train/ann/row_clusters.h) and scores each context only against
  // the members of its `ann_probe` best clusters: about ann_clusters + ann_probe x candidates /
  // ann_clusters scores a context instead of candidates. Lists can miss targets of unprobed
  // clusters; with ann_probe == ann_clusters they are the exact lists.
  std::size_t ann_clusters = 0;
  // Clusters probed per context, in [1, ann_clusters] when ann_clusters > 0.
  std::size_t ann_probe = 16;
  // Seeds the clustering's sample (the lists depend on it, not on `threads`).
  std::uint64_t seed = 42;
  // Rank only the contexts (anchor tracks) of this shard (a stable hash of the track id,
  // base/key_shard.h). A context's list depends on the model and the candidates alone
  // (the clustering of targets too), so each is the unsharded ranking's and the N shards
  // together rank every context once (docs/scale.md). Default: every context.
  KeyShard contexts_shard;

  Status Validate() const;
};

// Receives the ranked targets of one context, best first. Called from the worker threads,
// concurrently for different contexts, once per context with model.trained_context; the
// span is valid only during the call.
using RankedSink = std::function<void(TrackId context, std::span<const TrackId> ranked)>;
// (contexts done, contexts in total); called under a lock, from any worker.
using RankProgress = std::function<void(std::size_t done, std::size_t total)>;

Status RankTargets(const ContextualModel& model, const RankOptions& options, const RankedSink& sink,
                   const RankProgress& progress = {});

}  // namespace botify::train::contextual
