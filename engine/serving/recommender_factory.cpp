#include "engine/serving/recommender_factory.h"

#include "engine/serving/indexed_recommender.h"
#include "engine/serving/random_recommender.h"
#include "engine/serving/session_aware_recommender.h"
#include "engine/serving/session_model_recommender.h"
#include "engine/serving/sticky_artist_recommender.h"

namespace botify::serving {

namespace {

// A list recommender over index `spec.index`: the plain uniform pick or its session-aware twin.
std::unique_ptr<Recommender> MakeListRecommender(const RecommenderSpec& spec,
                                                 const catalog::Catalog& catalog,
                                                 IndexRegistry& indexes,
                                                 IndexedRecommender::Key key, std::size_t limit) {
  const IndexSlot* slot = indexes.GetOrCreate(spec.index);
  if (spec.session_aware) {
    return std::make_unique<serving::SessionAwareRecommender>(catalog, spec.index, slot, key,
                                                              limit);
  }
  return std::make_unique<IndexedRecommender>(catalog, spec.index, slot, key, limit);
}

}  // namespace

std::unique_ptr<Recommender> MakeRecommender(const RecommenderSpec& spec,
                                             const catalog::Catalog& catalog,
                                             IndexRegistry& indexes) {
  using Kind = RecommenderSpec::Kind;
  using Key = IndexedRecommender::Key;
  switch (spec.kind) {
    case Kind::kRandom:
      return std::make_unique<RandomRecommender>(catalog);
    case Kind::kStickyArtist:
      return std::make_unique<StickyArtistRecommender>(catalog);
    case Kind::kIndexed:
      return MakeListRecommender(spec, catalog, indexes, Key::kUser, 0);
    case Kind::kContextual:
      return MakeListRecommender(spec, catalog, indexes, Key::kPreviousTrack, 0);
    case Kind::kTopPop:
      return MakeListRecommender(spec, catalog, indexes, Key::kRanking, spec.top_n);
    case Kind::kSessionModel:
      return std::make_unique<SessionModelRecommender>(catalog, spec.index,
                                                       indexes.GetOrCreate(spec.index));
  }
  return std::make_unique<RandomRecommender>(catalog);
}

}  // namespace botify::serving
