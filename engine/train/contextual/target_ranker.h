// Exact top-k targets of every context track of a ContextualModel (blocked dot products).
//
// Ranking: score = model.Score(context, target), descending; equal scores go to the lower
// track id; NaN and -inf scores are never ranked. Candidates are the tracks with
// model.seen_target, except the context itself. Exact: every candidate is scored.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "base/status.h"
#include "engine/train/contextual/contextual_model.h"

namespace botify::train::contextual {

struct RankOptions {
  // Targets kept per context (fewer if there are fewer candidates).
  std::size_t depth = 100;
  // Scoring workers.
  int threads = 2;

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
