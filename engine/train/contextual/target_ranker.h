// Top-k targets of every context track of a ContextualModel, through the dense rankings
// (engine/dense/index.h).
//
// Ranking: score = dot(context row, target row) + target bias, descending; equal scores go
// to the lower track id. Candidates are the tracks with model.seen_target, except the
// context itself. Exact by default (engine/dense/exact_index.h: every candidate scored on
// BLAS; a score can differ from ContextualModel::Score's in the last bits, so near-ties
// may order differently). Bounded with index.kind kIvf or kHnsw (engine/dense/ivf_index.h,
// hnsw_index.h): only the candidates in the context's searched cells, or found by a
// graph search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "base/status.h"
#include "engine/dense/index.h"
#include "engine/train/contextual/contextual_model.h"

namespace botify::train::contextual {

struct RankOptions {
  // Targets kept per context (fewer if there are fewer candidates).
  std::size_t depth = 100;
  // Scoring workers (the lists do not depend on it).
  int threads = 2;
  // Exact (the default) or a faiss index of the candidate targets, with its parameters
  // (index.seed seeds it: the lists depend on it, not on `threads`).
  dense::IndexOptions index;

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
