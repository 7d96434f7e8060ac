#include "engine/serving/session_aware_recommender.h"

#include <catch2/catch.hpp>
#include <set>

#include "engine/serving/playback.h"
#include "engine/serving/routing_config.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::serving;
using botify::testing::SmallCatalog;

namespace {

// Catalog of 100 tracks, track t by artist t % 10.
struct Fixture {
  catalog::Catalog catalog = SmallCatalog(100, 10);
  serving::IndexSlot slot;
  serving::RecommendContext ctx{42};

  explicit Fixture(std::unordered_map<std::uint32_t, std::vector<TrackId>> lists) {
    slot.Exchange(std::make_shared<serving::InMemoryTrackListIndex>(std::move(lists)));
  }

  // One /next through `rec` for a session, updating it as the server does.
  TrackId Next(const serving::Recommender& rec, serving::SessionState& s, UserId user,
               TrackId played) {
    return serving::RecommendInSession(rec, catalog, {user, played, 0.5, nullptr}, s, ctx);
  }
};

}  // namespace

TEST_CASE("session:indexed walks the user's list in rank order, skipping seen tracks",
          "[engine][session]") {
  Fixture f({{7, {11, 21, 23, 34}}});  // artist of t: t % 10
  SessionAwareRecommender rec(f.catalog, "ub", &f.slot, SessionAwareRecommender::Key::kUser);
  serving::SessionState s(50, 100);
  CHECK(f.Next(rec, s, 7, 50) == 11);
  CHECK(f.Next(rec, s, 7, 11) == 23);  // 21 shares artist 1 with 11: 23 first
  CHECK(f.Next(rec, s, 7, 23) == 34);
  CHECK(f.Next(rec, s, 7, 34) == 21);              // only a played artist left
  const TrackId fallback = f.Next(rec, s, 7, 21);  // list exhausted: random unseen
  CHECK_FALSE(std::set<TrackId>{50, 11, 21, 23, 34}.count(fallback));
}

TEST_CASE("session:contextual anchors on the first and the best-listened track",
          "[engine][session]") {
  Fixture f({{50, {51, 52}}, {60, {61, 62, 63}}, {70, {71}}});
  SessionAwareRecommender rec(f.catalog, "ctx", &f.slot,
                              SessionAwareRecommender::Key::kPreviousTrack);
  serving::SessionState s(50, 100);
  CHECK(f.Next(rec, s, 1, 50) == 51);  // the first track's list
  CHECK(f.Next(rec, s, 1, 51) == 52);
  // First track's list exhausted (52 recommended, so seen); track 60 now played, and
  // best-listened. In its list 61 is by artist 1, played (51); 62's artist 2 is not
  // (52 was recommended, not played yet).
  s.RecordPlayed(60, 0.9, f.catalog.artist_of(60));
  serving::RecommendRequest request{1, 60, 0.9, &s};
  CHECK(rec.Recommend(request, f.ctx) == 62);
  // Without a session it is the plain previous-track lookup, first candidate.
  serving::RecommendRequest stateless{1, 70, 0.5, nullptr};
  CHECK(rec.Recommend(stateless, f.ctx) == 71);
}

TEST_CASE("a session never repeats a track while unseen tracks remain", "[engine][session]") {
  // A tiny catalog and short lists, so the walk exhausts lists and the random fallback.
  catalog::Catalog catalog = SmallCatalog(30, 4);
  serving::IndexSlot slot;
  std::unordered_map<std::uint32_t, std::vector<TrackId>> lists;
  for (TrackId t = 0; t < 30; ++t) lists[t] = {(t + 1) % 30, (t + 2) % 30, (t + 5) % 30};
  slot.Exchange(std::make_shared<serving::InMemoryTrackListIndex>(std::move(lists)));
  SessionAwareRecommender rec(catalog, "ctx", &slot, SessionAwareRecommender::Key::kPreviousTrack);
  serving::RecommendContext ctx(7);
  for (int trial = 0; trial < 50; ++trial) {
    const TrackId first = static_cast<TrackId>(ctx.rng.Uniform(30));
    serving::SessionState s(first, 100);
    std::set<TrackId> seen{first};
    TrackId played = first;
    for (int step = 0; step < 29; ++step) {
      const TrackId next = serving::RecommendInSession(
          rec, catalog, {1, played, ctx.rng.UniformDouble(), nullptr}, s, ctx);
      REQUIRE(catalog.Contains(next));
      REQUIRE(seen.insert(next).second);
      played = next;
    }
  }
}

TEST_CASE("session-aware specs parse and print", "[engine][session][routing]") {
  for (const char* text :
       {"session:indexed:ub", "session:contextual:ctx", "session:toppop:top:50"}) {
    auto spec = serving::RecommenderSpec::Parse(text);
    REQUIRE(spec.ok());
    CHECK(spec->session_aware);
    CHECK(spec->ToString() == text);
  }
  CHECK_FALSE(serving::RecommenderSpec::Parse("session:random").ok());
  CHECK_FALSE(serving::RecommenderSpec::Parse("session:sticky_artist").ok());
  CHECK_FALSE(serving::RecommenderSpec::Parse("session:session:indexed:ub").ok());
  CHECK_FALSE(serving::RecommenderSpec::Parse("session:").ok());
  CHECK_FALSE(serving::RecommenderSpec::Parse("indexed:ub").value().session_aware);
}
