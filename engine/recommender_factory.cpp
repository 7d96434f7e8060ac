#include "engine/recommender_factory.h"

#include "engine/indexed_recommender.h"
#include "engine/random_recommender.h"
#include "engine/sticky_artist_recommender.h"

namespace botify {

std::unique_ptr<Recommender> MakeRecommender(const RecommenderSpec& spec, const Catalog& catalog,
                                             IndexRegistry& indexes) {
  using Kind = RecommenderSpec::Kind;
  switch (spec.kind) {
    case Kind::kRandom: return std::make_unique<RandomRecommender>(catalog);
    case Kind::kStickyArtist: return std::make_unique<StickyArtistRecommender>(catalog);
    case Kind::kIndexed:
      return std::make_unique<IndexedRecommender>(catalog, spec.index,
                                                  indexes.GetOrCreate(spec.index),
                                                  IndexedRecommender::Key::kUser);
    case Kind::kContextual:
      return std::make_unique<IndexedRecommender>(catalog, spec.index,
                                                  indexes.GetOrCreate(spec.index),
                                                  IndexedRecommender::Key::kPreviousTrack);
    case Kind::kTopPop:
      return std::make_unique<IndexedRecommender>(catalog, spec.index,
                                                  indexes.GetOrCreate(spec.index),
                                                  IndexedRecommender::Key::kRanking, spec.top_n);
  }
  return std::make_unique<RandomRecommender>(catalog);
}

}  // namespace botify
