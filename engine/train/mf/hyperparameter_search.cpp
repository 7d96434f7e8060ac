#include "engine/train/mf/hyperparameter_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>

#include "base/random.h"
#include "engine/train/mf/evaluation_users.h"
#include "engine/train/mf/mf_trainer.h"

namespace botify::train::mf {
namespace {

constexpr std::uint64_t kSearchStream = 0x534541524348ULL;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<TrialResult> SampleTrials(const SearchOptions& o) {
  std::vector<std::size_t> points(o.grid.size());
  std::iota(points.begin(), points.end(), 0);
  Rng rng = Rng::ForStream(o.base.seed, kSearchStream);
  const std::size_t n = std::min<std::size_t>(o.trials, points.size());
  std::vector<TrialResult> trials(n);
  for (std::size_t t = 0; t < n; ++t) {
    std::swap(points[t], points[t + rng.Uniform(points.size() - t)]);
    trials[t].trial = static_cast<int>(t + 1);
    trials[t].params = o.grid.At(points[t], o.base);
  }
  return trials;
}

// Trains `trainer` on to `target_epochs`, evaluating every epoch into trial's curve and
// best; with `stop_early`, stops once the base patience (from min_epochs on) runs out.
Status TrainTo(const InteractionSplit& split, int target_epochs, bool stop_early,
               MfTrainer* trainer, TrialResult* trial) {
  const auto start = std::chrono::steady_clock::now();
  const MfOptions& p = trial->params;
  // Every trial is evaluated on the same users: the sample depends on the base seed only.
  const std::vector<std::uint32_t> users =
      EvaluationUsers(split.test, static_cast<std::size_t>(p.eval_users), p.seed);
  const std::size_t population = EvaluationUsers(split.test, 0, 0).size();
  while (trainer->epochs_done() < target_epochs) {
    trainer->RunEpoch();
    auto evaluated = ModelPrecisionAtK(trainer->ServingModel(), split.train, split.test, users,
                                       population, p.k, p.threads);
    if (!evaluated.ok()) return evaluated.status();
    const PrecisionAtK& precision = *evaluated;
    trial->epochs = trainer->epochs_done();
    trial->curve.push_back(precision.mean);
    if (trial->best_epoch == 0 || precision.mean > trial->precision.mean) {
      trial->best_epoch = trial->epochs;
      trial->precision = precision;
    }
    if (stop_early && trial->epochs >= p.min_epochs &&
        trial->epochs - trial->best_epoch >= p.patience) {
      break;
    }
  }
  trial->seconds += SecondsSince(start);
  return Status::Ok();
}

bool Better(const TrialResult& a, const TrialResult& b) {
  return a.precision.mean > b.precision.mean;
}

Status RunRandom(const InteractionSplit& split, const SearchOptions& o, const TrialProgress& cb,
                 SearchResult* result) {
  for (TrialResult& trial : result->trials) {
    MfTrainer trainer(trial.params, &split.train, split.n_items(), split.train_timestamps_ms);
    BOTIFY_RETURN_IF_ERROR(TrainTo(split, o.epochs, /*stop_early=*/true, &trainer, &trial));
    if (cb) cb(trial);
  }
  result->best = 0;
  for (std::size_t t = 1; t < result->trials.size(); ++t) {
    if (Better(result->trials[t], result->trials[result->best])) result->best = t;
  }
  return Status::Ok();
}

Status RunHalving(const InteractionSplit& split, const SearchOptions& o, const TrialProgress& cb,
                  SearchResult* result) {
  std::vector<std::unique_ptr<MfTrainer>> trainers;
  std::vector<std::size_t> alive(result->trials.size());
  std::iota(alive.begin(), alive.end(), 0);
  for (const TrialResult& t : result->trials) {
    trainers.push_back(std::make_unique<MfTrainer>(t.params, &split.train, split.n_items(),
                                                   split.train_timestamps_ms));
  }
  const std::vector<int> budgets =
      HalvingRungBudgets(o.epochs, o.first_rung_epochs, result->trials.size());
  const int rungs = static_cast<int>(budgets.size());
  for (int rung = 0; rung < rungs; ++rung) {
    for (const std::size_t t : alive) {
      result->trials[t].rung = rung;
      BOTIFY_RETURN_IF_ERROR(TrainTo(split, budgets[rung], /*stop_early=*/false, trainers[t].get(),
                                     &result->trials[t]));
      if (cb) cb(result->trials[t]);
    }
    std::stable_sort(alive.begin(), alive.end(), [&](std::size_t a, std::size_t b) {
      return Better(result->trials[a], result->trials[b]);
    });
    result->best = alive.front();
    if (rung + 1 == rungs) break;
    for (std::size_t t = (alive.size() + 1) / 2; t < alive.size(); ++t) trainers[alive[t]].reset();
    alive.resize((alive.size() + 1) / 2);
    if (alive.size() == 1) rung = rungs - 2;  // a single survivor goes straight to the full budget
  }
  return Status::Ok();
}

}  // namespace

std::vector<int> HalvingRungBudgets(int epochs, int first_rung_epochs, std::size_t trials) {
  // Rungs: enough to halve `trials` down to one, as long as the first budget
  // (epochs / 2^(rungs - 1)) stays >= first_rung_epochs (and >= 1).
  const int floor_epochs = std::max(1, first_rung_epochs);
  int rungs = 1;
  while ((std::size_t{1} << (rungs - 1)) < trials && (epochs >> rungs) >= floor_epochs) ++rungs;
  std::vector<int> budgets(rungs);
  for (int r = 0; r < rungs; ++r) budgets[r] = epochs >> (rungs - 1 - r);
  return budgets;
}

Result<SearchSampler> ParseSearchSampler(std::string_view name) {
  if (name == "random") return SearchSampler::kRandom;
  if (name == "halving") return SearchSampler::kHalving;
  return Status::InvalidArgument(fmt::format("sampler must be random or halving, got '{}'", name));
}

std::size_t SearchGrid::size() const {
  return losses.size() * no_components.size() * learning_rates.size() * max_sampled.size() *
         user_alphas.size() * item_alphas.size() * item_biases.size();
}

MfOptions SearchGrid::At(std::size_t index, const MfOptions& base) const {
  MfOptions o = base;
  auto pick = [&index](const auto& values) {
    const auto& value = values[index % values.size()];
    index /= values.size();
    return value;
  };
  o.loss = pick(losses);
  o.no_components = pick(no_components);
  o.learning_rate = pick(learning_rates);
  o.max_sampled = pick(max_sampled);
  o.user_alpha = pick(user_alphas);
  o.item_alpha = pick(item_alphas);
  // Last, so that with the single default choice the first six fields of point i are
  // those of the seminar's 288-point grid.
  o.item_bias = pick(item_biases);
  return o;
}

Status SearchOptions::Validate() const {
  if (trials < 1)
    return Status::InvalidArgument(fmt::format("trials must be >= 1, got {}", trials));
  if (epochs < 1)
    return Status::InvalidArgument(fmt::format("epochs must be >= 1, got {}", epochs));
  if (first_rung_epochs < 1) {
    return Status::InvalidArgument(
        fmt::format("first_rung_epochs must be >= 1, got {}", first_rung_epochs));
  }
  if (grid.size() == 0) return Status::InvalidArgument("the search grid is empty");
  return base.Validate();
}

Result<SearchResult> RunSearch(const InteractionSplit& split, const SearchOptions& options,
                               const TrialProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  SearchResult result;
  result.trials = SampleTrials(options);
  for (const TrialResult& t : result.trials) {
    BOTIFY_RETURN_IF_ERROR(t.params.Validate());
    BOTIFY_RETURN_IF_ERROR(
        MfTrainer::CheckTimestamps(t.params, split.train, split.train_timestamps_ms));
  }
  if (options.sampler == SearchSampler::kRandom) {
    BOTIFY_RETURN_IF_ERROR(RunRandom(split, options, progress, &result));
  } else {
    BOTIFY_RETURN_IF_ERROR(RunHalving(split, options, progress, &result));
  }
  return result;
}

}  // namespace botify::train::mf
