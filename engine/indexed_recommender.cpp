#include "engine/indexed_recommender.h"

namespace botify {

TrackId IndexedRecommender::Recommend(const RecommendRequest& request,
                                      RecommendContext& ctx) const {
  const std::uint32_t key = key_ == ListKey::kUser ? request.user : request.track;
  if (auto index = slot_->Load(); index && index->Get(key, &ctx.scratch) && !ctx.scratch.empty()) {
    const TrackId pick = ctx.scratch[ctx.rng.Uniform(ctx.scratch.size())];
    // Lists are validated against the catalog when built; this guards a catalog that
    // shrank since, so the contract "always a valid catalog track" holds regardless.
    if (catalog_.Contains(pick)) return pick;
  }
  return fallback_.Recommend(request, ctx);
}

std::string IndexedRecommender::Describe() const {
  return (key_ == ListKey::kUser ? "indexed(" : "contextual(") + index_name_ + ")";
}

}  // namespace botify
