#include "engine/serving/session_model_recommender.h"

#include <catch2/catch.hpp>
#include <set>

#include "engine/serving/playback.h"
#include "engine/serving/routing_config.h"
#include "engine/serving/session_state.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::serving;
using botify::testing::SmallCatalog;

namespace {

// 40 tracks in 2 dims, track t by artist t % 10. Tracks 0..19 lie along (1, 0), 20..39
// along (0, 1), each a little longer than the one before, so within a direction a higher
// id scores higher. Biases 0, offset 0, gamma 0.5, no feedback unless a test sets it.
SessionModelTables TwoDirections() {
  SessionModelTables t;
  t.tracks = 40;
  t.dim = 2;
  for (TrackId i = 0; i < 40; ++i) {
    const float length = 1 + 0.1f * static_cast<float>(i % 20);
    t.target.push_back(i < 20 ? length : 0);
    t.target.push_back(i < 20 ? 0 : length);
  }
  t.bias.assign(40, 0.0f);
  t.gamma = 0.5f;
  t.time_weight.fill(0);
  return t;
}

struct Fixture {
  catalog::Catalog catalog = SmallCatalog(40, 10);
  IndexSlot slot;
  RecommendContext ctx{42};
  SessionModelRecommender rec{catalog, "sm", &slot};

  explicit Fixture(SessionModelTables tables) { Load(std::move(tables)); }
  void Load(SessionModelTables tables, std::uint64_t generation = 1) {
    // Every track's candidates: all 40 tracks (the order does not matter to the scoring).
    std::vector<std::vector<TrackId>> lists(40);
    for (TrackId t = 0; t < 40; ++t) {
      for (TrackId c = 0; c < 40; ++c) lists[t].push_back(c);
    }
    slot.Exchange(std::make_shared<InMemoryTrackListIndex>(
        std::unordered_map<std::uint32_t, std::vector<TrackId>>{}, generation,
        std::make_shared<const SessionModel>(std::move(tables), CandidateLists::FromLists(lists))));
  }
  // One /next as the server makes it.
  TrackId Next(SessionState& s, TrackId played, double time) {
    return RecommendInSession(rec, catalog, {1, played, time, nullptr}, s, ctx);
  }
};

}  // namespace

TEST_CASE(
    "session_model: the unseen candidate with the highest predicted time, artists "
    "discounted",
    "[engine][session]") {
  Fixture f(TwoDirections());
  SessionState s(5, 1024);  // a session that began along (1, 0)
  // 19 scores highest; then 18 (artist 8, unplayed) beats 9 (artist 9 played once: halved).
  CHECK(f.Next(s, 5, 1.0) == 19);
  CHECK(f.Next(s, 19, 1.0) == 18);
  CHECK(f.Next(s, 18, 1.0) == 17);
  // Never a track of the session, whatever the scores.
  std::set<TrackId> seen{5, 19, 18, 17};
  TrackId last = 17;
  for (int i = 0; i < 30; ++i) {
    last = f.Next(s, last, 1.0);
    CHECK(seen.insert(last).second);
  }
  CHECK(seen.size() == 34);
}

TEST_CASE("session_model: surprises turn the session towards another direction",
          "[engine][session]") {
  SessionModelTables t = TwoDirections();
  t.surprise_weight = 2;
  Fixture f(std::move(t));
  SessionState s(3, 1024);
  TrackId next = f.Next(s, 3, 1.0);
  CHECK(next < 20);
  // The listener skips every track along (1, 0) and loves one along (0, 1) that came up.
  for (int i = 0; i < 6; ++i) next = f.Next(s, next, 0.0);
  next = f.Next(s, next, 0.0);
  s.RecordRecommended(25);
  next = f.Next(s, 25, 1.0);
  CHECK(next >= 20);
}

TEST_CASE("session_model: without a model, or without a session, a random unseen track",
          "[engine][session]") {
  catalog::Catalog catalog = SmallCatalog(40, 10);
  IndexSlot slot;
  SessionModelRecommender rec(catalog, "sm", &slot);
  RecommendContext ctx(3);
  SessionState s(4, 1024);
  s.RecordPlayed(4, 1.0, catalog.artist_of(4));
  RecommendRequest request{1, 4, 1.0, &s};
  rec.Observe(request, s);  // no index loaded: nothing to fold, no state
  CHECK(s.ModelState(1).empty());
  for (int i = 0; i < 20; ++i) CHECK(rec.Recommend(request, ctx) != 4);
  // An index without a model (plain lists) falls back the same way.
  slot.Exchange(std::make_shared<InMemoryTrackListIndex>(
      std::unordered_map<std::uint32_t, std::vector<TrackId>>{{4, {5}}}));
  CHECK(rec.Recommend(RecommendRequest{1, 4, 1.0, nullptr}, ctx) < 40);
  CHECK(rec.Describe() == "session_model(sm)");
  CHECK(rec.uses_session());
}

TEST_CASE(
    "session_model: a new generation mid-session rebuilds the state from the first "
    "track",
    "[engine][session]") {
  Fixture f(TwoDirections());
  SessionState s(25, 1024);  // along (0, 1)
  CHECK(f.Next(s, 25, 1.0) == 39);
  f.Load(TwoDirections(), 2);
  CHECK(f.Next(s, 39, 1.0) == 38);  // the new model's state, rebuilt: still along (0, 1)
  const auto index = f.slot.Load();
  CHECK(s.ModelState(index->session_model()->id()).size() == 8);
}

TEST_CASE("session_model:NAME is a recommender spec", "[engine][routing]") {
  auto spec = RecommenderSpec::Parse("session_model:sm");
  REQUIRE(spec.ok());
  CHECK(spec->kind == RecommenderSpec::Kind::kSessionModel);
  CHECK(spec->index == "sm");
  CHECK(spec->ToString() == "session_model:sm");
  CHECK_FALSE(RecommenderSpec::Parse("session:session_model:sm").ok());
  CHECK_FALSE(RecommenderSpec::Parse("session_model").ok());
}
