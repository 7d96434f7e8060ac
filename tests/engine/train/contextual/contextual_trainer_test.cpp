#include "engine/train/contextual/contextual_trainer.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/random.h"

using namespace botify;
using botify::train::contextual::ContextPair;
using botify::train::contextual::ContextualModel;
using botify::train::contextual::ContextualOptions;
using botify::train::contextual::TrainContextual;

namespace {

// Two taste clusters: even tracks like even tracks (time 0.9), odd ones (time 0.05).
std::vector<ContextPair> ClusterPairs(std::size_t tracks, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<ContextPair> pairs;
  while (pairs.size() < n) {
    const auto c = static_cast<TrackId>(rng.Uniform(tracks));
    const auto t = static_cast<TrackId>(rng.Uniform(tracks));
    if (c == t) continue;
    pairs.push_back({c, t, (c % 2 == t % 2) ? 0.9f : 0.05f});
  }
  return pairs;
}

ContextualOptions SmallOptions(bool tied) {
  ContextualOptions o;
  o.dim = 4;
  o.epochs = 30;
  o.tied = tied;
  o.threads = 1;
  return o;
}

}  // namespace

TEST_CASE("contextual trainer learns which targets follow a context", "[engine][contextual]") {
  const auto train = ClusterPairs(40, 6000, 1);
  const auto validation = ClusterPairs(40, 500, 2);
  for (bool tied : {true, false}) {
    INFO("tied " << tied);
    std::vector<double> rmse;
    auto model = TrainContextual(train, validation, 40, SmallOptions(tied),
                                 [&](const auto& r) { rmse.push_back(r.validation_rmse); });
    REQUIRE(model.ok());
    REQUIRE(rmse.size() == 30);
    // A constant predictor has RMSE ~0.42 here.
    CHECK(rmse.back() < 0.1);
    CHECK(rmse.back() < rmse.front());
    for (TrackId c = 0; c < 40; ++c) {
      const TrackId same = (c + 2) % 40;
      const TrackId other = (c + 1) % 40;
      CHECK(model->Score(c, same) > model->Score(c, other));
    }
  }
}

TEST_CASE("contextual trainer is reproducible and independent of the thread count",
          "[engine][contextual]") {
  const auto train = ClusterPairs(100, 3000, 3);
  ContextualOptions o = SmallOptions(true);
  o.epochs = 3;
  o.negatives = 2;
  for (bool tied : {true, false}) {
    o.tied = tied;
    o.threads = 1;
    auto a = TrainContextual(train, {}, 100, o);
    o.threads = 3;
    auto b = TrainContextual(train, {}, 100, o);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->context == b->context);
    CHECK(a->target == b->target);
    CHECK(a->target_bias == b->target_bias);
    o.seed = 43;
    auto c = TrainContextual(train, {}, 100, o);
    CHECK(c->context != a->context);
    o.seed = 42;
  }
}

TEST_CASE("contextual trainer rejects bad input", "[engine][contextual]") {
  ContextualOptions o;
  CHECK_FALSE(TrainContextual({}, {}, 10, o).ok());
  const std::vector<ContextPair> outside = {{1, 10, 0.5f}};
  const auto status = TrainContextual(outside, {}, 10, o).status();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("(1, 10)"));
  o.dim = 0;
  CHECK_FALSE(TrainContextual(ClusterPairs(10, 10, 1), {}, 10, o).ok());
}

TEST_CASE("contextual trainer shares an artist's vector with its unseen tracks",
          "[engine][contextual]") {
  // 40 tracks, artist = track / 4; track 39 never occurs in a pair.
  std::vector<ArtistId> artist_of;
  for (TrackId t = 0; t < 40; ++t) artist_of.push_back(t / 4);
  std::vector<ContextPair> train;
  for (const auto& p : ClusterPairs(40, 6000, 4)) {
    if (p.context != 39 && p.target != 39) train.push_back(p);
  }
  // The taste follows artist parity here.
  for (auto& p : train)
    p.time = (artist_of[p.context] % 2 == artist_of[p.target] % 2) ? 0.9f : 0.05f;
  ContextualOptions o = SmallOptions(true);
  auto model = TrainContextual(train, {}, 40, o, {}, artist_of);
  REQUIRE(model.ok());
  CHECK(model->trained_context[39]);
  CHECK(model->seen_target[39]);
  // Track 39 (artist 9, odd) scores like its artist's other tracks.
  CHECK(model->Score(39, 4) > model->Score(39, 0));  // 4: artist 1 (odd); 0: artist 0
  CHECK(model->Score(1, 39) < model->Score(1, 9));   // context artist 0: 9 (artist 2) is near
  // Without artists the unseen track has no list and is no candidate.
  auto plain = TrainContextual(train, {}, 40, o);
  CHECK_FALSE(plain->trained_context[39]);
  CHECK_FALSE(plain->seen_target[39]);
  // Reproducible across thread counts with artist groups too.
  o.threads = 3;
  auto again = TrainContextual(train, {}, 40, o, {}, artist_of);
  CHECK(again->context == model->context);
  // A wrong-sized artist table is rejected.
  artist_of.pop_back();
  CHECK_FALSE(TrainContextual(train, {}, 40, o, {}, artist_of).ok());
}
