#pragma once

#include "engine/catalog/catalog.h"
#include "engine/serving/recommender.h"

namespace botify::serving {

// A uniformly random track by the previous track's artist (docs/contracts.md §5). Thread-safe.
class StickyArtistRecommender final : public Recommender {
 public:
  // `catalog` must outlive this object.
  explicit StickyArtistRecommender(const catalog::Catalog& catalog) : catalog_(catalog) {}
  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override {
    const auto tracks = catalog_.tracks_of(catalog_.artist_of(request.track));
    return tracks[ctx.rng.Uniform(tracks.size())];
  }
  std::string Describe() const override { return "sticky_artist"; }

 private:
  const catalog::Catalog& catalog_;
};

}  // namespace botify::serving
