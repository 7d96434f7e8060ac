#include "engine/train/mf/mf_fit.h"

#include <chrono>

#include "engine/train/mf/evaluation_users.h"
#include "engine/train/mf/mf_trainer.h"

namespace botify::train::mf {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Result<FitResult> FitMf(const InteractionSplit& split, const MfOptions& options,
                        const EpochCallback& on_epoch) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  BOTIFY_RETURN_IF_ERROR(
      MfTrainer::CheckTimestamps(options, split.train, split.train_timestamps_ms));
  FitResult result;
  const std::vector<std::uint32_t> users =
      EvaluationUsers(split.test, static_cast<std::size_t>(options.eval_users), options.seed);
  const std::size_t population = EvaluationUsers(split.test, 0, 0).size();
  result.popularity = PopularityPrecisionAtK(split.train, split.test, split.n_items(), users,
                                             population, options.k);
  MfTrainer trainer(options, &split.train, split.n_items(), split.train_timestamps_ms);
  result.time_bins = trainer.time_bias().axis().bins();
  result.served_bin = trainer.time_bias().axis().Bin(trainer.time_bias().now());
  int since_best = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    EpochReport report;
    report.epoch = epoch;
    auto start = std::chrono::steady_clock::now();
    trainer.RunEpoch();
    report.train_seconds = SecondsSince(start);
    start = std::chrono::steady_clock::now();
    // Evaluated as served: a time-aware bias at "now" (time_bias.h).
    MfModel serving = trainer.ServingModel();
    auto precision = ModelPrecisionAtK(serving, split.train, split.test, users, population,
                                       options.k, options.threads);
    if (!precision.ok()) return precision.status();
    report.precision = *precision;
    report.eval_seconds = SecondsSince(start);
    report.improved = result.best_epoch == 0 || report.precision.mean > result.best.mean;
    if (report.improved) {
      result.best_epoch = epoch;
      result.best = report.precision;
      result.model = std::move(serving);
      since_best = 0;
    } else {
      ++since_best;
    }
    result.epochs.push_back(report);
    if (on_epoch) on_epoch(report);
    if (epoch >= options.min_epochs && since_best >= options.patience) {
      result.stopped_early = epoch < options.epochs;
      break;
    }
  }
  return result;
}

}  // namespace botify::train::mf
