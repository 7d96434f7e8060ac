#pragma once

#include <string>

#include "engine/catalog.h"
#include "engine/random_recommender.h"
#include "engine/recommender.h"
#include "engine/track_list_index.h"

namespace botify {

// TopPop (SPEC §5): a uniformly random track among the N most played. The ranking is the
// list stored under key 0 of a named index (by default "top"), most played first — a
// recommendations file with one line {"user": 0, "tracks": [...]}, as `botify train top`
// writes it. Until that index is loaded it falls back to Random. Thread-safe.
class TopPopRecommender final : public Recommender {
 public:
  static constexpr std::uint32_t kRankingKey = 0;

  // `catalog` and `slot` must outlive this object; `top_n` > 0.
  TopPopRecommender(const Catalog& catalog, std::string index_name, const IndexSlot* slot,
                    std::size_t top_n)
      : catalog_(catalog), index_name_(std::move(index_name)), slot_(slot), top_n_(top_n),
        fallback_(catalog) {}

  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override;
  std::string Describe() const override;

 private:
  const Catalog& catalog_;
  std::string index_name_;
  const IndexSlot* slot_;
  std::size_t top_n_;
  RandomRecommender fallback_;
};

}  // namespace botify
