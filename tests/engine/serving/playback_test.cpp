// The /next and /last decision without HTTP (engine/serving/playback.h), on a manual clock
// and an in-memory sink: the event line it logs is pinned byte for byte, time included.
#include "engine/serving/playback.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "base/random.h"
#include "engine/serving/experiment.h"
#include "engine/serving/routing_config.h"
#include "tests/fake_env.h"
#include "tests/memory_event_sink.h"
#include "tests/test_support.h"

using namespace botify;
using namespace std::chrono_literals;

namespace {

const char* kConfig = R"({
  "experiments": [
    {"name": "AB", "split": 2, "arms": {"C": "random", "T1": "random"}},
    {"name": "AA", "split": 3}
  ],
  "routing": "AB"
})";

std::string ArmOf(const char* experiment, int split, UserId user) {
  return std::string(
      eventlog::ArmName(serving::Experiment::Create(experiment, split)->Assign(user)));
}

}  // namespace

TEST_CASE("a decision logs its event with the clock's time, the arms and the recommendation",
          "[engine][serving][playback]") {
  const catalog::Catalog catalog = testing::SmallCatalog(100);
  serving::IndexRegistry indexes;
  auto config = serving::RoutingConfig::Parse(kConfig);
  REQUIRE(config.ok());
  auto routing = serving::Routing::Build(*config, catalog, indexes);
  REQUIRE(routing.ok());
  serving::SessionStore sessions(serving::SessionStoreOptions{});
  testing::FakeEnv clock;
  clock.set_manual_clock(true);
  testing::MemoryEventSink sink;
  serving::RecommendContext recommend(42);
  std::vector<eventlog::LoggedArm> arms((*routing)->logged_count());
  std::string line;
  serving::PlaybackScratch scratch{recommend, arms, line, 1};
  const serving::PlaybackServices services{**routing, sessions, catalog, clock, &sink};

  const auto start = clock.SteadyNow();
  clock.Advance(3ms);  // the decision's latency, on the manual clock
  const serving::PlaybackDecision next =
      serving::DecidePlayback(services, {eventlog::EventKind::kNext, 7, 5, 0.5, start}, scratch);
  clock.Advance(1s);
  const serving::PlaybackDecision last = serving::DecidePlayback(
      services, {eventlog::EventKind::kLast, 7, 6, 1.0, clock.SteadyNow()}, scratch);

  const std::string ab = ArmOf("AB", 2, 7), aa = ArmOf("AA", 3, 7);
  CHECK(next.routed_arm == eventlog::ArmIndex(ab));
  CHECK(last.routed_arm == next.routed_arm);
  // "random" draws from the worker's generator: the first draw of a seed-42 Rng.
  Rng rng(42);
  const auto expected = static_cast<TrackId>(rng.Uniform(100));
  REQUIRE(next.recommendation == std::optional<TrackId>(expected));
  CHECK_FALSE(last.recommendation.has_value());
  // FakeEnv's wall clock starts at 1708330590 s; 3 ms, then 1 s more.
  CHECK(sink.Lines() ==
        fmt::format(R"({{"message": "next", "timestamp": 1708330590003, "user": 7, "track": 5, )"
                    R"("time": 0.5, "latency": 0.003, "recommendation": {}, )"
                    R"("experiments": {{"AB": "{}", "AA": "{}"}}}})"
                    "\n"
                    R"({{"message": "last", "timestamp": 1708330591003, "user": 7, "track": 6, )"
                    R"("time": 1.0, "latency": 0.0, "recommendation": null, )"
                    R"("experiments": {{"AB": "{}", "AA": "{}"}}}})"
                    "\n",
                    expected, ab, aa, ab, aa));
  CHECK(sink.Producers() == std::vector<int>{1, 1});
}

TEST_CASE("without a sink a decision still routes and recommends, and logs nothing",
          "[engine][serving][playback]") {
  const catalog::Catalog catalog = testing::SmallCatalog(100);
  serving::IndexRegistry indexes;
  auto routing = serving::Routing::Build(serving::RoutingConfig::Default(), catalog, indexes);
  REQUIRE(routing.ok());
  serving::SessionStore sessions(serving::SessionStoreOptions{});
  testing::FakeEnv clock;
  serving::RecommendContext recommend(1);
  std::vector<eventlog::LoggedArm> arms((*routing)->logged_count());
  std::string line;
  serving::PlaybackScratch scratch{recommend, arms, line, 0};
  const serving::PlaybackServices services{**routing, sessions, catalog, clock, nullptr};
  const auto d = serving::DecidePlayback(
      services, {eventlog::EventKind::kNext, 1, 2, 0.9, clock.SteadyNow()}, scratch);
  REQUIRE(d.recommendation.has_value());
  CHECK(*d.recommendation < 100);
  CHECK(line.empty());
}
