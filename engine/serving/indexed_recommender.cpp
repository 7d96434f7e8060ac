#include "engine/serving/indexed_recommender.h"

#include <algorithm>

namespace botify::serving {

std::uint32_t IndexedRecommender::KeyOf(const RecommendRequest& request) const {
  switch (key_) {
    case Key::kUser:
      return request.user;
    case Key::kPreviousTrack:
      return request.track;
    case Key::kRanking:
      return 0;
  }
  return request.user;
}

TrackId IndexedRecommender::Recommend(const RecommendRequest& request,
                                      RecommendContext& ctx) const {
  if (auto index = slot_->Load();
      index && index->Get(KeyOf(request), &ctx.scratch) && !ctx.scratch.empty()) {
    const std::size_t n = limit_ > 0 ? std::min(limit_, ctx.scratch.size()) : ctx.scratch.size();
    const TrackId pick = ctx.scratch[ctx.rng.Uniform(n)];
    // Lists are validated against the catalog when built; this guards a catalog that
    // shrank since, so the contract "always a valid catalog track" holds regardless.
    if (catalog_.Contains(pick)) return pick;
  }
  return fallback_.Recommend(request, ctx);
}

std::string IndexedRecommender::Describe() const {
  switch (key_) {
    case Key::kUser:
      return "indexed(" + index_name_ + ")";
    case Key::kPreviousTrack:
      return "contextual(" + index_name_ + ")";
    case Key::kRanking:
      return "toppop(" + index_name_ + ", " + std::to_string(limit_) + ")";
  }
  return index_name_;
}

}  // namespace botify::serving
