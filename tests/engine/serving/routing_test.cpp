#include "engine/serving/routing.h"

#include <catch2/catch.hpp>
#include <set>

#include "engine/serving/recommender_factory.h"
#include "tests/test_support.h"

using namespace botify;
using botify::testing::SmallCatalog;

namespace {

const char* kUserBased = R"({
  "experiments": [
    {"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}},
    {"name": "AA", "split": 2}
  ],
  "routing": "USER_BASED"
})";

}  // namespace

TEST_CASE("routing config parses experiments, arms and the routed experiment",
          "[engine][routing]") {
  auto config = serving::RoutingConfig::Parse(kUserBased);
  REQUIRE(config.ok());
  REQUIRE(config->experiments.size() == 2);
  CHECK(config->routing == std::optional<std::string>("USER_BASED"));
  CHECK(config->experiments[0].arms[1]->kind == serving::RecommenderSpec::Kind::kIndexed);
  CHECK(config->experiments[0].arms[1]->index == "ub");
  CHECK_FALSE(config->experiments[1].arms[0].has_value());
}

TEST_CASE("bad routing configs are refused with the field named", "[engine][routing]") {
  auto check = [](const char* text, const char* fragment) {
    auto c = serving::RoutingConfig::Parse(text);
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.status().message(), Catch::Contains(fragment));
  };
  check(R"({"experiments": [{"name": "X", "split": 2, "arms": {"T2": "random"}}]})", "T2");
  check(R"({"experiments": [{"name": "X", "split": 12}]})", "split");
  check(R"({"experiments": [{"name": "X", "split": 2, "arms": {"C": "magic"}}]})", "magic");
  check(R"({"routing": "NOPE"})", "NOPE");
  check(R"({"experiments": [{"name": "X", "split": 2}, {"name": "X", "split": 3}]})", "twice");
  check(R"({"experiments": [{"name": "bad\"name", "split": 2}]})", "name");
  check(R"({"experimentz": []})", "experimentz");
  check("{", "malformed");
  // Counts are plain positive decimals: no sign, no blanks, no wrap-around.
  for (const char* n : {"-1", "+5", " 5", "0", "5x", "99999999999"}) {
    INFO(n);
    check((std::string(R"({"default": "toppop:top:)") + n + R"("})").c_str(), "positive count");
  }
  check(R"({"experiments": [{"name": "X", "split": 2, "arms": {"T1": "toppop:top:-1"}}]})",
        "experiments[0].arms.T1");
}

namespace {

// A config of `n` experiments, each of split 9 with every arm on `indexed:ub`.
std::string ManyExperiments(std::size_t n) {
  std::string text = R"({"experiments": [)";
  for (std::size_t i = 0; i < n; ++i) {
    text += (i ? ", " : "") + std::string(R"({"name": "E)") + std::to_string(i) +
            R"(", "split": 9, "arms": {"T8": "indexed:ub"}})";
  }
  return text + "]}";
}

}  // namespace

TEST_CASE("a routing config is bounded: at most 32 experiments and 1 MiB of text",
          "[engine][routing]") {
  using serving::RoutingConfig;
  REQUIRE(RoutingConfig::Parse(ManyExperiments(RoutingConfig::kMaxExperiments)).ok());
  auto over = RoutingConfig::Parse(ManyExperiments(RoutingConfig::kMaxExperiments + 1));
  REQUIRE_FALSE(over.ok());
  CHECK_THAT(over.status().message(),
             Catch::Contains("experiments: 33 experiments, more than the limit of 32"));
  auto huge = RoutingConfig::Parse(R"({"experiments": [)" + std::string(2 << 20, ' ') + "]}");
  REQUIRE_FALSE(huge.ok());
  CHECK_THAT(huge.status().message(), Catch::Contains("more than the limit of 1048576"));
}

TEST_CASE("a routing config lists every index its arms and default read, and where",
          "[engine][routing]") {
  auto config = serving::RoutingConfig::Parse(R"({
    "experiments": [
      {"name": "USER_BASED", "split": 3,
       "arms": {"C": "random", "T1": "indexed:ub", "T2": "session:contextual:ctx"}},
      {"name": "AA", "split": 2}
    ],
    "default": "toppop"})");
  REQUIRE(config.ok());
  const auto refs = config->IndexReferences();
  REQUIRE(refs.size() == 3);
  CHECK(refs[0].where == "experiments[0] (USER_BASED) arm T1");
  CHECK(refs[0].experiment == "USER_BASED");
  CHECK(refs[0].arm == "T1");
  CHECK(refs[0].index == "ub");
  CHECK(refs[1].where == "experiments[0] (USER_BASED) arm T2");
  CHECK(refs[1].spec == "session:contextual:ctx");
  CHECK(refs[2].where == "default");
  CHECK(refs[2].index == "top");
}

TEST_CASE("routing sends T1 users to their indexed list and C users to random",
          "[engine][routing]") {
  catalog::Catalog catalog = SmallCatalog();
  serving::IndexRegistry indexes;
  auto config = serving::RoutingConfig::Parse(kUserBased);
  REQUIRE(config.ok());
  auto routing = serving::Routing::Build(*config, catalog, indexes);
  REQUIRE(routing.ok());

  std::unordered_map<std::uint32_t, std::vector<TrackId>> lists;
  for (UserId u = 0; u < 200; ++u) lists[u] = {7, 8, 9};
  indexes.GetOrCreate("ub")->Exchange(std::make_shared<serving::InMemoryTrackListIndex>(lists));

  auto experiment = serving::Experiment::Create("USER_BASED", 2);
  serving::RecommendContext ctx(1);
  std::vector<eventlog::LoggedArm> logged((*routing)->logged_count());
  std::set<TrackId> control_tracks;
  for (UserId u = 0; u < 200; ++u) {
    auto d = (*routing)->Route(u, logged);
    CHECK(d.routed_arm == experiment->Assign(u));
    REQUIRE(logged.size() == 2);
    CHECK(logged[0].experiment == "USER_BASED");
    CHECK(logged[0].arm == serving::ArmName(d.routed_arm));
    CHECK(logged[1].experiment == "AA");
    for (int i = 0; i < 20; ++i) {
      const TrackId t = d.recommender->Recommend({u, 0, 1.0}, ctx);
      CHECK(catalog.Contains(t));
      if (d.routed_arm == 1) {
        CHECK((t >= 7 && t <= 9));
      } else {
        control_tracks.insert(t);
      }
    }
  }
  CHECK(control_tracks.size() > 50);  // random, not the list
}

TEST_CASE("indexed recommender falls back to random for users without a list",
          "[engine][recommenders]") {
  catalog::Catalog catalog = SmallCatalog();
  serving::IndexRegistry indexes;
  auto rec = serving::MakeRecommender({serving::RecommenderSpec::Kind::kIndexed, "ub", 100},
                                      catalog, indexes);
  serving::RecommendContext ctx(2);
  std::set<TrackId> seen;
  for (int i = 0; i < 500; ++i) seen.insert(rec->Recommend({5, 0, 1.0}, ctx));  // no index yet
  CHECK(seen.size() > 50);
  indexes.GetOrCreate("ub")->Exchange(std::make_shared<serving::InMemoryTrackListIndex>(
      std::unordered_map<std::uint32_t, std::vector<TrackId>>{{5, {42}}}));
  CHECK(rec->Recommend({5, 0, 1.0}, ctx) == 42);
  CHECK(catalog.Contains(rec->Recommend({6, 0, 1.0}, ctx)));
}

TEST_CASE("contextual, sticky artist and toppop recommenders", "[engine][recommenders]") {
  catalog::Catalog catalog = SmallCatalog(100, 10);
  serving::IndexRegistry indexes;
  serving::RecommendContext ctx(3);
  auto sticky = serving::MakeRecommender({serving::RecommenderSpec::Kind::kStickyArtist, "", 0},
                                         catalog, indexes);
  for (int i = 0; i < 100; ++i) {
    CHECK(catalog.artist_of(sticky->Recommend({1, 13, 1.0}, ctx)) == catalog.artist_of(13));
  }
  auto contextual = serving::MakeRecommender(
      {serving::RecommenderSpec::Kind::kContextual, "ctx", 0}, catalog, indexes);
  indexes.GetOrCreate("ctx")->Exchange(std::make_shared<serving::InMemoryTrackListIndex>(
      std::unordered_map<std::uint32_t, std::vector<TrackId>>{{13, {50, 51}}}));
  for (int i = 0; i < 50; ++i) {
    const TrackId t = contextual->Recommend({99, 13, 0.5}, ctx);
    CHECK((t == 50 || t == 51));
  }
  auto top = serving::MakeRecommender({serving::RecommenderSpec::Kind::kTopPop, "top", 2}, catalog,
                                      indexes);
  indexes.GetOrCreate("top")->Exchange(std::make_shared<serving::InMemoryTrackListIndex>(
      std::unordered_map<std::uint32_t, std::vector<TrackId>>{{0, {3, 4, 5, 6}}}));
  std::set<TrackId> seen;
  for (int i = 0; i < 100; ++i) seen.insert(top->Recommend({1, 0, 1.0}, ctx));
  CHECK(seen == std::set<TrackId>{3, 4});
}
