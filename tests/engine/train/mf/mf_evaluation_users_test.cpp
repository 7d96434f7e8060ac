#include "engine/train/mf/evaluation_users.h"

#include <catch2/catch.hpp>

#include <set>

#include "engine/train/mf/mf_fit.h"
#include "engine/train/mf/model_rows.h"
#include "engine/train/mf/precision_at_k.h"
#include "engine/train/mf/synthetic_log.h"
#include "tests/engine/dense/reference_ranking.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

const InteractionSplit& Split() {
  static const InteractionSplit split = [] {
    SyntheticLogOptions log;
    log.users = 300;
    log.tracks = 200;
    log.groups = 6;
    auto s = BuildInteractionSplit(MakeSyntheticEvents(log), InteractionSplitOptions{});
    REQUIRE(s.ok());
    return std::move(s).value();
  }();
  return split;
}

}  // namespace

TEST_CASE("evaluation users: all test users, or a seeded sample of them",
          "[engine][mf][evaluation]") {
  // Users 1 and 4 have no test positive.
  const auto test = UserItemMatrix::FromPairs(6, {{0, 1}, {2, 0}, {2, 3}, {3, 2}, {5, 1}});
  CHECK(EvaluationUsers(test, 0, 7) == std::vector<std::uint32_t>{0, 2, 3, 5});
  CHECK(EvaluationUsers(test, 4, 7) == std::vector<std::uint32_t>{0, 2, 3, 5});
  CHECK(EvaluationUsers(test, 100, 7) == std::vector<std::uint32_t>{0, 2, 3, 5});
  const auto sample = EvaluationUsers(test, 2, 7);
  REQUIRE(sample.size() == 2);
  CHECK(sample[0] < sample[1]);
  for (const std::uint32_t u : sample) CHECK(std::set<std::uint32_t>{0, 2, 3, 5}.count(u) == 1);
  CHECK(EvaluationUsers(test, 2, 7) == sample);
  // Over seeds every test user is drawn sometimes, the others never.
  std::set<std::uint32_t> drawn;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    for (const std::uint32_t u : EvaluationUsers(test, 1, seed)) drawn.insert(u);
  }
  CHECK(drawn == std::set<std::uint32_t>{0, 2, 3, 5});
}

TEST_CASE("sampled precision is the mean over the sampled users", "[engine][mf][evaluation]") {
  const InteractionSplit& split = Split();
  MfModel model(split.n_users(), split.n_items(), 8);
  Rng rng(3);
  model.InitUniform(rng);
  const auto population = EvaluationUsers(split.test, 0, 0);
  const auto sample = EvaluationUsers(split.test, 40, 9);
  REQUIRE(sample.size() == 40);
  auto p = ModelPrecisionAtK(model, split.train, split.test, sample, population.size(), 10, 2);
  REQUIRE(p.ok());
  CHECK(p->users == 40);
  CHECK(p->population == population.size());
  CHECK(p->sampled());
  // Independently: each sampled user's top 10 in double precision, and its hits.
  double sum = 0;
  for (const std::uint32_t u : sample) {
    int hits = 0;
    for (const auto& item : botify::testing::ReferenceTopK(ItemTargets(model), model.user(u), 10,
                                                           split.train.Row(u))) {
      hits += split.test.Contains(u, item.id) ? 1 : 0;
    }
    sum += hits / 10.0;
  }
  CHECK(p->mean == Approx(sum / 40).epsilon(1e-12));
  auto all = ModelPrecisionAtK(model, split.train, split.test, 10, 1);
  REQUIRE(all.ok());
  CHECK_FALSE(all->sampled());
  CHECK(all->users == population.size());
}

TEST_CASE("a sample as large as the test users is the full evaluation",
          "[engine][mf][evaluation]") {
  const InteractionSplit& split = Split();
  MfOptions options;
  options.no_components = 8;
  options.epochs = 3;
  options.threads = 1;
  auto full = FitMf(split, options);
  options.eval_users = static_cast<int>(EvaluationUsers(split.test, 0, 0).size());
  auto same = FitMf(split, options);
  REQUIRE(full.ok());
  REQUIRE(same.ok());
  REQUIRE(full->epochs.size() == same->epochs.size());
  for (std::size_t e = 0; e < full->epochs.size(); ++e) {
    CHECK(full->epochs[e].precision.mean == same->epochs[e].precision.mean);
    CHECK(full->epochs[e].precision.users == same->epochs[e].precision.users);
  }
  CHECK(full->popularity.mean == same->popularity.mean);
  CHECK(full->model == same->model);

  options.eval_users = 30;
  auto sampled = FitMf(split, options);
  REQUIRE(sampled.ok());
  CHECK(sampled->best.users == 30);
  CHECK(sampled->popularity.users == 30);
  CHECK(sampled->best.population == full->best.users);
  options.eval_users = -1;
  CHECK_THAT(FitMf(split, options).status().message(), Catch::Contains("eval_users"));
}
