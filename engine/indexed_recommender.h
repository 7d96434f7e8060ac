#pragma once

#include <string>

#include "engine/catalog.h"
#include "engine/random_recommender.h"
#include "engine/recommendations_file.h"
#include "engine/recommender.h"
#include "engine/track_list_index.h"

namespace botify {

// Indexed(name) and Contextual(name) of SPEC §5: look up a list in the serving generation
// of a named index — keyed by the user (Indexed) or by the previous track (Contextual) —
// and return a uniformly random element of it (the original's behaviour). No list, or an
// index not loaded yet: fall back to Random. Ids in a list that are not in the catalog
// are never returned. Thread-safe.
class IndexedRecommender final : public Recommender {
 public:
  // `catalog` and `slot` must outlive this object.
  IndexedRecommender(const Catalog& catalog, std::string index_name, const IndexSlot* slot,
                     ListKey key)
      : catalog_(catalog), index_name_(std::move(index_name)), slot_(slot), key_(key),
        fallback_(catalog) {}

  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override;
  std::string Describe() const override;

 private:
  const Catalog& catalog_;
  std::string index_name_;
  const IndexSlot* slot_;
  ListKey key_;
  RandomRecommender fallback_;
};

}  // namespace botify
