#include "engine/top_pop_recommender.h"

#include <algorithm>

namespace botify {

TrackId TopPopRecommender::Recommend(const RecommendRequest& request,
                                     RecommendContext& ctx) const {
  if (auto index = slot_->Load();
      index && index->Get(kRankingKey, &ctx.scratch) && !ctx.scratch.empty()) {
    const std::size_t n = std::min(top_n_, ctx.scratch.size());
    const TrackId pick = ctx.scratch[ctx.rng.Uniform(n)];
    if (catalog_.Contains(pick)) return pick;
  }
  return fallback_.Recommend(request, ctx);
}

std::string TopPopRecommender::Describe() const {
  return "toppop(" + index_name_ + ", " + std::to_string(top_n_) + ")";
}

}  // namespace botify
