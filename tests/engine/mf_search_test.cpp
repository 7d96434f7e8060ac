#include "engine/train/mf/hyperparameter_search.h"

#include <catch2/catch.hpp>

#include <set>

#include "engine/train/mf/mf_params_json.h"
#include "engine/train/mf/synthetic_log.h"

using namespace botify;
using namespace botify::mf;

TEST_CASE("the grid has the seminar's 288 points, all distinct", "[engine][mf][search]") {
  const SearchGrid grid;
  REQUIRE(grid.size() == 288);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < grid.size(); ++i) seen.insert(MfParamsToJson(grid.At(i, {})));
  CHECK(seen.size() == 288);
}

TEST_CASE("params JSON round-trips and rejects unknown keys by name", "[engine][mf][search]") {
  MfOptions o;
  o.loss = MfLoss::kBpr;
  o.no_components = 30;
  o.learning_rate = 0.001;
  o.max_sampled = 50;
  o.item_alpha = 0.0001;
  MfOptions back;
  REQUIRE(ApplyMfParamsJson(MfParamsToJson(o), &back).ok());
  CHECK(MfParamsToJson(back) == MfParamsToJson(o));
  CHECK(back.loss == MfLoss::kBpr);
  CHECK(ApplyMfParamsJson(R"({"loss": "warp", "search": {"precision_at_10": 0.1}})", &back).ok());
  CHECK(back.loss == MfLoss::kWarp);
  CHECK_THAT(ApplyMfParamsJson(R"({"lr": 0.1})", &back).message(), Catch::Contains("'lr'"));
  CHECK_THAT(ApplyMfParamsJson(R"({"loss": "hinge"})", &back).message(),
             Catch::Contains("hinge"));
  CHECK_THAT(ApplyMfParamsJson(R"({"no_components": 0})", &back).message(),
             Catch::Contains("no_components"));
  CHECK(back.loss == MfLoss::kWarp);  // a failed apply changes nothing
}

TEST_CASE("random and halving searches run their trials and pick the best",
          "[engine][mf][search]") {
  SyntheticLogOptions log;
  log.users = 150;
  log.tracks = 100;
  log.groups = 5;
  auto split = BuildInteractionSplit(MakeSyntheticEvents(log), InteractionSplitOptions{});
  REQUIRE(split.ok());
  SearchOptions options;
  options.trials = 5;
  options.epochs = 4;
  options.base.threads = 1;
  options.sampler = GENERATE(SearchSampler::kRandom, SearchSampler::kHalving);
  int reports = 0;
  auto result = RunSearch(*split, options, [&](const TrialResult&) { ++reports; });
  REQUIRE(result.ok());
  REQUIRE(result->trials.size() == 5);
  const TrialResult& best = result->trials[result->best];
  for (const TrialResult& t : result->trials) {
    if (t.rung == best.rung) CHECK(t.precision.mean <= best.precision.mean);
  }
  CHECK(best.epochs == 4);
  if (options.sampler == SearchSampler::kRandom) {
    CHECK(reports == 5);
  } else {
    CHECK(reports > 5);  // survivors report once per rung
  }
  const std::string table = SearchResultsMarkdown(*result, 10);
  CHECK_THAT(table, Catch::StartsWith("| trial | loss |"));
  CHECK_THAT(table, Catch::Contains("(best)"));
}
