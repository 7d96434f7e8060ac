#include "engine/train/mf/hyperparameter_search.h"

#include <catch2/catch.hpp>

#include <set>

#include "engine/train/mf/mf_params_json.h"
#include "engine/train/mf/search_report.h"
#include "engine/train/mf/synthetic_log.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

// The train/test split of a synthetic log with `groups` planted taste groups.
Result<InteractionSplit> PlantedSplit(int users, int tracks, int groups) {
  SyntheticLogOptions log;
  log.users = users;
  log.tracks = tracks;
  log.groups = groups;
  return BuildInteractionSplit(MakeSyntheticEvents(log), InteractionSplitOptions{});
}

}  // namespace

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
  CHECK_THAT(ApplyMfParamsJson(R"({"loss": "hinge"})", &back).message(), Catch::Contains("hinge"));
  CHECK_THAT(ApplyMfParamsJson(R"({"no_components": 0})", &back).message(),
             Catch::Contains("no_components"));
  CHECK(back.loss == MfLoss::kWarp);  // a failed apply changes nothing
}

TEST_CASE("random and halving searches run their trials and pick the best",
          "[engine][mf][search]") {
  auto split = PlantedSplit(150, 100, 5);
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
  for (const TrialResult& t : result->trials) {
    REQUIRE(t.curve.size() == static_cast<std::size_t>(t.epochs));
    CHECK(t.precision.mean == *std::max_element(t.curve.begin(), t.curve.end()));
    CHECK(t.curve[t.best_epoch - 1] == t.precision.mean);
  }
  if (options.sampler == SearchSampler::kRandom) {
    CHECK(reports == 5);
  } else {
    CHECK(reports > 5);  // survivors report once per rung
  }
  const std::string table = SearchResultsMarkdown(*result, 10);
  CHECK_THAT(table, Catch::StartsWith("| trial | loss |"));
  CHECK_THAT(table, Catch::Contains("(best)"));
  CHECK_THAT(SearchResultsJson(*result, 10), Catch::Contains("\"curve\":["));
}

TEST_CASE("halving rungs never collapse: budgets strictly increase to the full budget",
          "[engine][mf][search]") {
  CHECK(HalvingRungBudgets(8, 1, 16) == std::vector<int>{1, 2, 4, 8});
  CHECK(HalvingRungBudgets(8, 2, 16) == std::vector<int>{2, 4, 8});
  CHECK(HalvingRungBudgets(30, 2, 16) == std::vector<int>{3, 7, 15, 30});
  CHECK(HalvingRungBudgets(30, 2, 3) == std::vector<int>{7, 15, 30});  // 3 -> 2 -> 1
  CHECK(HalvingRungBudgets(5, 1, 1) == std::vector<int>{5});
  CHECK(HalvingRungBudgets(1, 4, 64) == std::vector<int>{1});
  for (int epochs = 1; epochs <= 40; ++epochs) {
    for (std::size_t trials = 1; trials <= 40; ++trials) {
      const auto b = HalvingRungBudgets(epochs, 2, trials);
      REQUIRE(b.back() == epochs);
      for (std::size_t r = 1; r < b.size(); ++r) REQUIRE(b[r] > b[r - 1]);
    }
  }
}

TEST_CASE("halving promotes the trial that learns and drops the one stuck on a plateau",
          "[engine][mf][search]") {
  auto split = PlantedSplit(300, 200, 8);
  REQUIRE(split.ok());
  SearchOptions options;
  options.sampler = SearchSampler::kHalving;
  options.grid.losses = {MfLoss::kWarp};
  options.grid.no_components = {16};
  options.grid.learning_rates = {0.0001, 0.00001, 0.05, 0.000001};
  options.grid.max_sampled = {10};
  options.grid.user_alphas = {0.0};
  options.grid.item_alphas = {0.0};
  options.trials = 4;
  options.epochs = 8;
  options.base.threads = 1;
  auto result = RunSearch(*split, options);
  REQUIRE(result.ok());
  const TrialResult& best = result->trials[result->best];
  CHECK(best.params.learning_rate == 0.05);
  // Budgets 2, 4, 8 epochs; 4 trials -> 2 -> 1.
  CHECK(best.rung == 2);
  CHECK(best.epochs == 8);
  CHECK(best.curve.size() == 8);
  std::vector<int> dropped_at(3, 0);
  for (const TrialResult& t : result->trials) {
    if (&t == &best) continue;
    CHECK(t.params.learning_rate < 0.05);
    CHECK(t.epochs == 2 << t.rung);
    ++dropped_at[t.rung];
  }
  CHECK(dropped_at == std::vector<int>{2, 1, 0});
}

TEST_CASE(
    "the item bias form is a categorical grid dimension that leaves the seminar's "
    "points where they were",
    "[engine][mf][search]") {
  const SearchGrid seminar;
  SearchGrid grid;
  grid.item_biases = {ItemBiasForm::kStatic, ItemBiasForm::kBinned, ItemBiasForm::kDrift};
  REQUIRE(grid.size() == 3 * 288);
  std::set<std::string> seen;
  std::set<ItemBiasForm> forms;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const MfOptions o = grid.At(i, {});
    seen.insert(MfParamsToJson(o));
    forms.insert(o.item_bias);
    // Point i's seminar fields are those of point i % 288 of the seminar's grid.
    MfOptions same = o;
    same.item_bias = ItemBiasForm::kStatic;
    CHECK(MfParamsToJson(same) == MfParamsToJson(seminar.At(i % 288, {})));
  }
  CHECK(seen.size() == 3 * 288);
  CHECK(forms.size() == 3);
  for (std::size_t i = 0; i < seminar.size(); ++i) {
    CHECK(seminar.At(i, {}).item_bias == ItemBiasForm::kStatic);
  }
}

TEST_CASE("params JSON carries a time-aware bias and only then its fields",
          "[engine][mf][search]") {
  MfOptions o;
  CHECK(MfParamsToJson(o).find("item_bias") == std::string::npos);
  o.item_bias = ItemBiasForm::kBinned;
  o.bias_bin_gap_seconds = 5;
  o.bin_learning_rate = 0.05;
  MfOptions back;
  REQUIRE(ApplyMfParamsJson(MfParamsToJson(o), &back).ok());
  CHECK(back.item_bias == ItemBiasForm::kBinned);
  CHECK(back.bias_bin_gap_seconds == 5);
  CHECK(back.bin_learning_rate == 0.05);
  CHECK(MfParamsToJson(back) == MfParamsToJson(o));
  CHECK_THAT(ApplyMfParamsJson(R"({"item_bias": "weekly"})", &back).message(),
             Catch::Contains("item_bias must be static, binned or drift, got 'weekly'"));
  CHECK_THAT(ApplyMfParamsJson(R"({"drift_beta": 2})", &back).message(),
             Catch::Contains("drift_beta must be in [0, 1]"));
}
