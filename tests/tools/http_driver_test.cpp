#include "tools/sim/http_driver.h"

#include <catch2/catch.hpp>

#include "engine/sim/in_process_run.h"
#include "engine/world/world_generator.h"
#include "tests/tools/sim_test_server.h"

using namespace botify;
using namespace botify::tools;
using botify::testing::SimTestServer;
using botify::testing::SimTestServerOptions;

namespace {

world::World SmallWorld() {
  world::WorldOptions o = world::WorldOptions::Small();
  o.users = 50;
  return *world::GenerateWorld(o);
}

// The in-process twin of the test server's answers.
class ServerTwin : public sim::Policy {
 public:
  explicit ServerTwin(std::uint32_t tracks) : tracks_(tracks) {}
  TrackId Recommend(const sim::Episode& e, Rng&) override {
    return botify::testing::SimTestAnswer(e.user().user, e.last_track(), tracks_);
  }

 private:
  std::uint32_t tracks_;
};

HttpDriverOptions Options(std::uint16_t port) {
  HttpDriverOptions o;
  o.port = port;
  o.connections = 8;
  o.backoff_ms = 1;
  o.timeout_ms = 2000;
  return o;
}

}  // namespace

TEST_CASE("HTTP runs equal in-process runs whatever the interleaving", "[tools][sim]") {
  const world::World world = SmallWorld();
  sim::Simulator sim(world, {.seed = 9});
  SimTestServer server({.tracks = static_cast<std::uint32_t>(world.catalog.size())});
  HttpDriver driver(sim, Options(server.port()));
  auto http = driver.Run(100, 200);
  REQUIRE(http.ok());
  ServerTwin twin(world.catalog.size());
  const auto local = sim::RunInProcess(sim, twin, 100, 200);
  REQUIRE(http->size() == local.size());
  std::uint64_t steps = 0;
  for (std::size_t i = 0; i < local.size(); ++i) {
    CHECK((*http)[i].index == local[i].index);
    CHECK((*http)[i].reward == local[i].reward);
    CHECK((*http)[i].steps == local[i].steps);
    steps += local[i].steps;
  }
  CHECK(server.next_requests() == steps);
  CHECK(server.last_requests() == 200);
  CHECK(driver.stats().errors() == 0);
}

TEST_CASE("HTTP errors are retried and counted", "[tools][sim]") {
  const world::World world = SmallWorld();
  sim::Simulator sim(world, {});
  SimTestServer server(
      {.tracks = static_cast<std::uint32_t>(world.catalog.size()), .fail_first = 2});
  HttpDriverOptions o = Options(server.port());
  o.connections = 1;
  HttpDriver driver(sim, o);
  auto results = driver.Run(0, 20);
  REQUIRE(results.ok());
  CHECK(results->size() == 20);
  CHECK(driver.stats().http_errors == 2);
  CHECK(driver.stats().retries == 2);
  CHECK_THAT(driver.stats().last_error, Catch::Contains("503"));
}

TEST_CASE("a track outside the catalog drops episodes, then stops the run", "[tools][sim]") {
  const world::World world = SmallWorld();
  sim::Simulator sim(world, {});
  SimTestServer server(
      {.tracks = static_cast<std::uint32_t>(world.catalog.size()), .bad_track = true});
  HttpDriverOptions o = Options(server.port());
  o.retries = 1;
  o.max_failed_episodes = 3;
  HttpDriver driver(sim, o);
  auto results = driver.Run(0, 50);
  REQUIRE_FALSE(results.ok());
  CHECK_THAT(results.status().message(), Catch::Contains("outside the catalog"));
  CHECK(driver.stats().bad_tracks >= 8);
}

TEST_CASE("a dead server gives a clear error, not a hang", "[tools][sim]") {
  const world::World world = SmallWorld();
  sim::Simulator sim(world, {});
  std::uint16_t port = 0;
  {
    SimTestServer gone({.tracks = 1});
    port = gone.port();
  }  // closed: nothing listens on `port` any more
  HttpDriver driver(sim, Options(port));
  auto results = driver.Run(0, 10);
  REQUIRE_FALSE(results.ok());
  CHECK(results.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(results.status().message(), Catch::Contains("refused"));
}
