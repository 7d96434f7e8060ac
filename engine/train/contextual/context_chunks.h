// Work distribution shared by the contextual rankers (target_ranker.h): the contexts that
// get a list, cut into chunks that worker threads take one after the other.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "engine/train/contextual/contextual_model.h"
#include "engine/train/contextual/target_ranker.h"

namespace botify::train::contextual {

// The tracks with model.trained_context, ascending.
std::vector<TrackId> TrainedContexts(const ContextualModel& model);

// Ranks one chunk of contexts; each worker gets its own (it may keep scratch state).
using ChunkWork = std::function<void(std::span<const TrackId> chunk)>;

// Calls make_work() once per worker, then that worker's ChunkWork on chunks of `chunk`
// consecutive contexts until none is left (each chunk exactly once, in no fixed order),
// on `threads` threads including the caller's; `progress` (may be empty) after every
// chunk, under a lock.
void RunInChunks(std::span<const TrackId> contexts, std::size_t chunk, int threads,
                 const std::function<ChunkWork()>& make_work, const RankProgress& progress);

}  // namespace botify::train::contextual
