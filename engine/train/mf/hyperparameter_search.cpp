#include "engine/train/mf/hyperparameter_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>

#include "engine/random.h"
#include "engine/train/mf/mf_fit.h"
#include "engine/train/mf/mf_trainer.h"

namespace botify::mf {
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

Status RunRandom(const InteractionSplit& split, const SearchOptions& o, const TrialProgress& cb,
                 SearchResult* result) {
  for (TrialResult& trial : result->trials) {
    const auto start = std::chrono::steady_clock::now();
    MfOptions params = trial.params;
    params.epochs = o.epochs;
    auto fit = FitMf(split, params);
    if (!fit.ok()) return fit.status();
    trial.epochs = static_cast<int>(fit->epochs.size());
    trial.precision = fit->best;
    trial.seconds = SecondsSince(start);
    if (cb) cb(trial);
  }
  result->best = 0;
  for (std::size_t t = 1; t < result->trials.size(); ++t) {
    if (result->trials[t].precision.mean > result->trials[result->best].precision.mean) {
      result->best = t;
    }
  }
  return Status::Ok();
}

// Epochs trained by the end of `rung` of `rungs`: halves backwards from the full budget.
int RungEpochs(int epochs, int rung, int rungs) {
  return std::max(1, epochs >> (rungs - 1 - rung));
}

void TrainRung(const InteractionSplit& split, int target_epochs, MfTrainer* trainer,
               TrialResult* trial) {
  const auto start = std::chrono::steady_clock::now();
  while (trainer->epochs_done() < target_epochs) trainer->RunEpoch();
  trial->precision = ModelPrecisionAtK(trainer->model(), split.train, split.test,
                                       trial->params.k, trial->params.threads);
  trial->epochs = trainer->epochs_done();
  trial->seconds += SecondsSince(start);
}

Status RunHalving(const InteractionSplit& split, const SearchOptions& o, const TrialProgress& cb,
                  SearchResult* result) {
  std::vector<std::unique_ptr<MfTrainer>> trainers;
  std::vector<std::size_t> alive(result->trials.size());
  std::iota(alive.begin(), alive.end(), 0);
  for (const TrialResult& t : result->trials) {
    trainers.push_back(std::make_unique<MfTrainer>(t.params, &split.train, split.n_items()));
  }
  int rungs = 1;
  while ((std::size_t{1} << (rungs - 1)) < alive.size()) ++rungs;
  for (int rung = 0; rung < rungs && !alive.empty(); ++rung) {
    for (const std::size_t t : alive) {
      result->trials[t].rung = rung;
      TrainRung(split, RungEpochs(o.epochs, rung, rungs), trainers[t].get(), &result->trials[t]);
      if (cb) cb(result->trials[t]);
    }
    std::stable_sort(alive.begin(), alive.end(), [&](std::size_t a, std::size_t b) {
      return result->trials[a].precision.mean > result->trials[b].precision.mean;
    });
    result->best = alive.front();
    for (std::size_t t = (alive.size() + 1) / 2; t < alive.size(); ++t) trainers[alive[t]].reset();
    alive.resize((alive.size() + 1) / 2);
    if (alive.size() == 1 && rung + 1 < rungs) {
      rung = rungs - 2;  // a single survivor goes straight to the full budget
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SearchSampler> ParseSearchSampler(std::string_view name) {
  if (name == "random") return SearchSampler::kRandom;
  if (name == "halving") return SearchSampler::kHalving;
  return Status::InvalidArgument(fmt::format("sampler must be random or halving, got '{}'", name));
}

std::size_t SearchGrid::size() const {
  return losses.size() * no_components.size() * learning_rates.size() * max_sampled.size() *
         user_alphas.size() * item_alphas.size();
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
  return o;
}

Status SearchOptions::Validate() const {
  if (trials < 1) return Status::InvalidArgument(fmt::format("trials must be >= 1, got {}", trials));
  if (epochs < 1) return Status::InvalidArgument(fmt::format("epochs must be >= 1, got {}", epochs));
  if (grid.size() == 0) return Status::InvalidArgument("the search grid is empty");
  return base.Validate();
}

Result<SearchResult> RunSearch(const InteractionSplit& split, const SearchOptions& options,
                               const TrialProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  SearchResult result;
  result.trials = SampleTrials(options);
  for (const TrialResult& t : result.trials) BOTIFY_RETURN_IF_ERROR(t.params.Validate());
  if (options.sampler == SearchSampler::kRandom) {
    BOTIFY_RETURN_IF_ERROR(RunRandom(split, options, progress, &result));
  } else {
    BOTIFY_RETURN_IF_ERROR(RunHalving(split, options, progress, &result));
  }
  return result;
}

std::string SearchResultsMarkdown(const SearchResult& result, int k) {
  std::vector<std::size_t> order(result.trials.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TrialResult &x = result.trials[a], &y = result.trials[b];
    if (x.rung != y.rung) return x.rung > y.rung;
    return x.precision.mean > y.precision.mean;
  });
  std::string out = fmt::format(
      "| trial | loss | no_components | learning_rate | max_sampled | user_alpha | item_alpha "
      "| epochs | precision@{} | 95% CI | time (s) |\n"
      "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n",
      k);
  for (const std::size_t i : order) {
    const TrialResult& t = result.trials[i];
    const MfOptions& p = t.params;
    fmt::format_to(std::back_inserter(out),
                   "| {}{} | {} | {} | {} | {} | {} | {} | {} | {:.4f} | [{:.4f}, {:.4f}] | {:.1f} |\n",
                   t.trial, i == result.best ? " (best)" : "", MfLossName(p.loss),
                   p.no_components, p.learning_rate, p.max_sampled, p.user_alpha, p.item_alpha,
                   t.epochs, t.precision.mean, t.precision.low(), t.precision.high(), t.seconds);
  }
  return out;
}

}  // namespace botify::mf
