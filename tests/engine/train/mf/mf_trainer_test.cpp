#include "engine/train/mf/mf_trainer.h"

#include <catch2/catch.hpp>

#include <cmath>

#include "engine/train/mf/mf_fit.h"
#include "engine/train/mf/synthetic_log.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

const InteractionSplit& PlantedSplit() {
  static const InteractionSplit split = [] {
    SyntheticLogOptions log;
    log.users = 400;
    log.tracks = 300;
    log.groups = 8;
    log.rows_per_user = 50;
    auto s = BuildInteractionSplit(MakeSyntheticEvents(log), InteractionSplitOptions{});
    REQUIRE(s.ok());
    return std::move(s).value();
  }();
  return split;
}

double SquaredNorm(const std::vector<float>& v) {
  double sum = 0;
  for (const float x : v) sum += double{x} * x;
  return sum;
}

}  // namespace

TEST_CASE("training on planted taste groups beats the popularity baseline",
          "[engine][mf][trainer]") {
  const InteractionSplit& split = PlantedSplit();
  MfOptions options;
  options.no_components = 16;
  options.epochs = 20;  // BPR's sigmoid weights start learning later than WARP's
  options.patience = 5;
  options.loss = GENERATE(MfLoss::kWarp, MfLoss::kBpr);
  std::vector<int> seen;
  auto fit = FitMf(split, options, [&](const EpochReport& r) { seen.push_back(r.epoch); });
  REQUIRE(fit.ok());
  INFO("loss " << MfLossName(options.loss) << " model p@10 " << fit->best.mean << " popularity "
               << fit->popularity.mean);
  CHECK(fit->popularity.users > 300);
  CHECK(fit->best.mean > 1.5 * fit->popularity.mean);
  CHECK(fit->best.low() > fit->popularity.high());
  CHECK(seen.size() == fit->epochs.size());
  CHECK(fit->best.mean == ModelPrecisionAtK(fit->model, split.train, split.test, 10, 1)->mean);
}

TEST_CASE("one worker is deterministic from the seed", "[engine][mf][trainer]") {
  const InteractionSplit& split = PlantedSplit();
  MfOptions options;
  options.no_components = 8;
  options.threads = 1;
  MfTrainer a(options, &split.train, split.n_items());
  MfTrainer b(options, &split.train, split.n_items());
  CHECK(a.model() == b.model());
  a.RunEpoch();
  b.RunEpoch();
  CHECK(a.model() == b.model());
  options.seed = 1;
  MfTrainer c(options, &split.train, split.n_items());
  c.RunEpoch();
  CHECK_FALSE(a.model() == c.model());
}

TEST_CASE("init is uniform in [-0.5, 0.5) / no_components with zero biases and padding",
          "[engine][mf][trainer]") {
  MfModel model(50, 60, 10);
  Rng rng(1);
  model.InitUniform(rng);
  float low = 1, high = -1;
  for (std::uint32_t i = 0; i < 60; ++i) {
    for (std::uint32_t c = 0; c < model.stride(); ++c) {
      const float w = model.item(i)[c];
      if (c >= 10) CHECK(w == 0.0f);
      if (c < 10) low = std::min(low, w), high = std::max(high, w);
    }
    CHECK(model.bias(i) == 0.0f);
  }
  CHECK(low >= -0.05f);
  CHECK(high < 0.05f);
  CHECK(low < -0.045f);
  CHECK(high > 0.045f);
}

TEST_CASE("L2 penalties shrink the embeddings of their own side", "[engine][mf][trainer]") {
  const InteractionSplit& split = PlantedSplit();
  MfOptions options;
  options.no_components = 8;
  options.threads = GENERATE(1, 2);
  MfTrainer plain(options, &split.train, split.n_items());
  options.item_alpha = 0.01;
  MfTrainer item_l2(options, &split.train, split.n_items());
  plain.RunEpoch();
  item_l2.RunEpoch();
  const auto& p = plain.model();
  const auto& r = item_l2.model();
  const double item_ratio = SquaredNorm(r.item_embeddings()) / SquaredNorm(p.item_embeddings());
  CHECK(item_ratio < 0.5);
}
