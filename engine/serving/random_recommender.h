#pragma once

#include <memory>

#include "engine/catalog/catalog.h"
#include "engine/serving/recommender.h"

namespace botify::serving {

// Uniform over the catalog. Thread-safe.
class RandomRecommender final : public Recommender {
 public:
  // `catalog` must outlive this object.
  explicit RandomRecommender(const catalog::Catalog& catalog) : catalog_size_(catalog.size()) {}
  TrackId Recommend(const RecommendRequest&, RecommendContext& ctx) const override {
    return static_cast<TrackId>(ctx.rng.Uniform(catalog_size_));
  }
  std::string Describe() const override { return "random"; }

 private:
  std::size_t catalog_size_;
};

}  // namespace botify::serving
