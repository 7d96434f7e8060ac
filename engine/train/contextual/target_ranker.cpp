#include "engine/train/contextual/target_ranker.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace botify::train::contextual {
namespace {

// The tracks with a trained context vector, ascending: those that get a list.
std::vector<TrackId> TrainedContexts(const ContextualModel& m) {
  std::vector<TrackId> contexts;
  for (TrackId c = 0; c < m.tracks; ++c) {
    if (m.trained_context[c]) contexts.push_back(c);
  }
  return contexts;
}

}  // namespace

Status RankOptions::Validate() const {
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  return index.Validate();
}

Status RankTargets(const ContextualModel& model, const RankOptions& options, const RankedSink& sink,
                   const RankProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (model.context.size() != model.tracks * model.dim ||
      model.target.size() != model.tracks * model.dim || model.target_bias.size() != model.tracks ||
      model.seen_target.size() != model.tracks || model.trained_context.size() != model.tracks) {
    return Status::InvalidArgument("contextual model tables do not match its size");
  }
  // Tracks never seen as a target are never ranked: a NaN bias.
  std::vector<float> bias(model.tracks);
  for (TrackId t = 0; t < model.tracks; ++t) {
    bias[t] = model.seen_target[t] ? model.target_bias[t] : std::numeric_limits<float>::quiet_NaN();
  }
  auto index = dense::BuildIndex({{model.target.data(), model.tracks, model.dim, model.dim}, bias},
                                 options.index);
  if (!index.ok()) return index.status();
  const std::vector<TrackId> contexts = TrainedContexts(model);
  dense::Queries queries{contexts, {model.context.data(), model.tracks, model.dim, model.dim}, {}};
  // A context's only excluded target is itself: a span over its id in `contexts`.
  queries.excluded = [&contexts](std::uint32_t c) {
    return std::span<const std::uint32_t>(&*std::lower_bound(contexts.begin(), contexts.end(), c),
                                          1);
  };
  return (*index)->Search(queries, options.depth, options.threads, sink, progress);
}

}  // namespace botify::train::contextual
