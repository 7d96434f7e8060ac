#pragma once

#include <cstdint>
#include <string>

#include "engine/catalog/catalog.h"
#include "engine/serving/random_recommender.h"
#include "engine/serving/recommender.h"
#include "engine/serving/track_list_index.h"

namespace botify::serving {

// Recommenders that sample from a list in the serving generation of a named index
// (docs/contracts.md §5), returning a uniformly random element of it (the original's behaviour):
//   Indexed(name)     the list keyed by the user
//   Contextual(name)  the list keyed by the previous track
//   TopPop(name, N)   the first N of the ranking stored under key 0 (most played first,
//                     a file with one line {"user": 0, "tracks": [...]})
// No list, or an index not loaded yet: fall back to Random. Ids not in the catalog are
// never returned. Thread-safe.
class IndexedRecommender final : public Recommender {
 public:
  enum class Key { kUser, kPreviousTrack, kRanking };

  // `catalog` and `slot` must outlive this object. `limit` > 0 samples only among the
  // first `limit` entries of the list; 0 = the whole list.
  IndexedRecommender(const catalog::Catalog& catalog, std::string index_name, const IndexSlot* slot,
                     Key key, std::size_t limit = 0)
      : catalog_(catalog),
        index_name_(std::move(index_name)),
        slot_(slot),
        key_(key),
        limit_(limit),
        fallback_(catalog) {}

  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override;
  std::string Describe() const override;

 private:
  std::uint32_t KeyOf(const RecommendRequest& request) const;

  const catalog::Catalog& catalog_;
  std::string index_name_;
  const IndexSlot* slot_;
  Key key_;
  std::size_t limit_;
  RandomRecommender fallback_;
};

}  // namespace botify::serving
