#include <catch2/catch.hpp>
#include <cmath>

#include "engine/sim/episode.h"
#include "engine/sim/in_process_run.h"
#include "engine/sim/listen_time.h"
#include "engine/sim/policy.h"
#include "engine/world/appeal_drift.h"
#include "engine/world/world_generator.h"
#include "tests/sim_world_support.h"

using namespace botify;
using namespace botify::sim;

TEST_CASE("sigmoid and numpy-style round2", "[engine][sim]") {
  CHECK(Sigmoid(0) == 0.5);
  CHECK(Sigmoid(2) == Approx(0.8807970779778823));
  CHECK(Round2(0.8807970779778823) == 0.88);
  CHECK(Round2(0.125) == 0.12);  // half to even, like numpy.round
  CHECK(Round2(0.135) == 0.14);  // 0.135 * 100 = 13.5000000000000017764 -> 14
  CHECK(Round2(0.004) == 0.0);
}

TEST_CASE("listen time applies bias, sharpness and the artist discount", "[engine][sim]") {
  world::User u;
  u.consume_bias = 1.0;
  u.consume_sharpness = 2.0;
  u.artist_discount_gamma = 0.5;
  // sigmoid((2 - 1) * 2) = 0.8808
  CHECK(ListenTime(2.0, u, 0) == 0.88);
  CHECK(ListenTime(2.0, u, 1) == 0.44);   // 0.8808 * 0.5 = 0.4404
  CHECK(ListenTime(2.0, u, 2) == 0.22);   // 0.8808 * 0.25 = 0.2202
  CHECK(ListenTime(-10.0, u, 0) == 0.0);  // sigmoid(-22) rounds to 0
}

TEST_CASE("exact top-k by inner product with ties by id", "[engine][sim]") {
  const FloatMatrix m{4, 2, {1, 0, 2, 0, 0, 1, 2, 0}};
  const float q[] = {1, 0};
  CHECK(ExactTopK(m, q, 3) == std::vector<TrackId>{1, 3, 0});
  CHECK(ExactTopK(m, q, 10).size() == 4);
}

TEST_CASE("episode follows docs/contracts.md §8 step by step on a hand-made world",
          "[engine][sim]") {
  const world::World w = botify::testing::TinyWorld();
  Simulator sim(w, SimulatorOptions{});
  Episode e(sim, 0);
  CHECK(e.user().user == 7);
  CHECK(e.interest() == 0);
  CHECK(e.last_track() == 3);  // the nearest neighbour of (1,0) is (3,0)
  CHECK(e.last_time() == 1.0);
  // Track 1 (artist A, unplayed): dot((2,0),(1,0)) = 2 -> sigmoid(1) = 0.731 -> 0.73.
  CHECK(e.Listen(1) == 0.73);
  // Track 0 (artist A again, k=1): dot = 1 -> sigmoid(0) * 0.8 = 0.4.
  CHECK(e.Listen(0) == 0.4);
  // Track 3 is a repeat: 0, and the uniform draw always exceeds 0, so budget drops.
  CHECK(e.Listen(3) == 0.0);
  CHECK(e.result().steps == 3);
  CHECK(e.result().reward == Approx(1.13));
  CHECK(e.last_track() == 3);
  CHECK(e.last_time() == 0.0);
}

TEST_CASE("the budget ends the session after session_budget zero-time steps", "[engine][sim]") {
  world::World w = botify::testing::TinyWorld();
  w.users[0].session_budget = 3;
  Simulator sim(w, SimulatorOptions{});
  Episode e(sim, 5);
  int steps = 0;
  while (!e.done()) {
    e.Listen(3);  // always a repeat: time 0, budget -1 each step
    ++steps;
  }
  CHECK(steps == 3);
  CHECK(e.result().reward == 0.0);
  CHECK_FALSE(e.result().truncated);
}

TEST_CASE("max_steps truncates an endless session", "[engine][sim]") {
  world::World w = botify::testing::TinyWorld();
  w.users[0].consume_bias = -100;  // every unplayed track is listened fully
  w.users[0].artist_discount_gamma = 1.0;
  SimulatorOptions o;
  o.max_steps = 2;
  Simulator sim(w, o);
  Episode e(sim, 0);
  e.Listen(0);
  e.Listen(1);
  CHECK(e.done());
  CHECK(e.result().truncated);
  CHECK(e.result().reward == 2.0);
}

TEST_CASE("artist_oracle trades a nearer track for an artist not yet played", "[engine][sim]") {
  world::World w = botify::testing::TinyWorld();
  w.users[0].artist_discount_gamma = 0.5;
  Simulator sim(w, SimulatorOptions{});
  auto oracle = MakePolicy("oracle", sim);
  auto artist_oracle = MakePolicy("artist_oracle", sim);
  REQUIRE(oracle.ok());
  REQUIRE(artist_oracle.ok());
  Rng rng(1);
  Episode e(sim, 0);  // first track 3 (artist C)
  // Track 1 (A, dot 2): 0.73, the best for both.
  CHECK((*oracle)->Recommend(e, rng) == 1);
  CHECK((*artist_oracle)->Recommend(e, rng) == 1);
  e.Listen(1);
  // Now track 0 (A again, dot 1) gives sigmoid(0) * 0.5 = 0.25; track 2 (B, dot 0)
  // sigmoid(-1) = 0.27: the oracle takes the nearer 0, artist_oracle the new artist.
  CHECK((*oracle)->Recommend(e, rng) == 0);
  CHECK((*artist_oracle)->Recommend(e, rng) == 2);
  CHECK(e.ArtistPlays(w.catalog.artist_of(1)) == 1);
  CHECK(e.ArtistPlays(w.catalog.artist_of(2)) == 0);
}

TEST_CASE("in-process runs are reproducible and the oracle beats random", "[engine][sim]") {
  world::WorldOptions wo = world::WorldOptions::Small();
  wo.users = 100;
  const world::World w = *world::GenerateWorld(wo);
  SimulatorOptions so;
  so.seed = 3;
  Simulator sim(w, so);
  auto mean_reward = [&](const char* name) {
    auto policy = MakePolicy(name, sim);
    REQUIRE(policy.ok());
    const auto a = RunInProcess(sim, **policy, 0, 400);
    const auto b = RunInProcess(sim, **policy, 0, 400);
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      REQUIRE(a[i].reward == b[i].reward);
      REQUIRE(a[i].steps == b[i].steps);
      sum += a[i].reward;
    }
    return sum / a.size();
  };
  const double random = mean_reward("random");
  const double history = mean_reward("history");
  const double oracle = mean_reward("oracle");
  const double artist_oracle = mean_reward("artist_oracle");
  CHECK(random < history);
  CHECK(history < oracle);
  CHECK(oracle < artist_oracle);
  CHECK_FALSE(MakePolicy("nope", sim).ok());
}

TEST_CASE("a drifting world shifts the sigmoid's argument by the track's offset that day",
          "[engine][sim]") {
  const world::World w = botify::testing::TinyWorld();
  world::AppealDriftOptions d;
  d.trend_scale = 1.0;
  d.release_share = 0.0;
  const world::AppealDrift drift = world::AppealDrift::Generate(d, w.catalog.size());
  SimulatorOptions o;
  o.episodes_per_day = 10;
  Simulator plain(w, o);
  Simulator drifting(w, o, &drift);
  // Episode 25 is at day 2.5. Without drift, exactly the static world's time.
  Episode a(plain, 25), b(drifting, 25);
  CHECK(a.Listen(1) == 0.73);
  const double offset = drift.Offset(1, 2.5);
  REQUIRE(std::fabs(offset) > 0.05);
  CHECK(b.Listen(1) == Round2(Sigmoid(2.0 + offset - 1.0)));
  // Day 0 (episode 0): no drift yet.
  Episode c(drifting, 0);
  CHECK(c.Listen(1) == 0.73);
}
