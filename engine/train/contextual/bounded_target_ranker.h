// The bounded ranking of RankTargets (target_ranker.h, options.ann_clusters > 0): each
// context is scored only against the targets of its options.ann_probe best clusters
// (target_clusters.h) instead of every candidate, so its cost per context is about
// clusters + probe x candidates / clusters scores instead of candidates.
//
// Contexts are ranked in chunks: each context picks its clusters by the probe score
// dot(context, centroid) + centroid bias; then, cluster by cluster, the chunk's contexts
// that picked it are scored against its members with the exact ranker's kernel
// (score_tile.h). A target therefore gets the same score as in the exact ranking, bit for
// bit, and with probe == clusters the lists are exactly the exact ranker's.
#pragma once

#include "engine/train/contextual/target_ranker.h"

namespace botify::train::contextual {

// Called by RankTargets, which has validated `options` and `model`.
Status RankTargetsBounded(const ContextualModel& model, const RankOptions& options,
                          const RankedSink& sink, const RankProgress& progress);

}  // namespace botify::train::contextual
