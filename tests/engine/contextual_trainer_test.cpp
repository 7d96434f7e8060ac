#include <catch2/catch.hpp>
#include <vector>

#include "engine/random.h"
#include "engine/train/contextual/contextual_trainer.h"

using namespace botify;
using botify::contextual::ContextPair;
using botify::contextual::ContextualModel;
using botify::contextual::ContextualOptions;
using botify::contextual::TrainContextual;

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
