// Precision@k on the test positives, excluding each user's train items from the ranking
// (LightFM's precision_at_k with train_interactions): over the users with at least one
// test positive, the share of their top-k that are test positives; reported as the mean
// with a normal-approximation 95% interval (mean +- 1.96 * sample sd / sqrt(users)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"
#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

struct PrecisionAtK {
  double mean = 0.0;
  double half_width = 0.0;  // of the 95% interval
  std::size_t users = 0;    // users evaluated (each has at least one test positive)
  // Users with at least one test positive; more than `users` when a sample was evaluated
  // (evaluation_users.h).
  std::size_t population = 0;
  bool sampled() const { return users < population; }
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// True when `model` beats `baseline` beyond both 95% intervals (model.low() >
// baseline.high()): a conservative test, as the intervals do not overlap.
inline bool BeatsBeyondInterval(const PrecisionAtK& model, const PrecisionAtK& baseline) {
  return model.low() > baseline.high();
}

// Mean and interval of per-user precisions.
PrecisionAtK SummarizePrecision(std::span<const double> per_user);

// The model's precision@k over `users` (ascending, each with a test positive: see
// EvaluationUsers), ranked exactly (engine/dense/exact_index.h) on `threads` workers.
// The result is independent of the thread count. `population` is copied into the result.
// Errors: a model whose shapes do not match (a bug).
Result<PrecisionAtK> ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                                       const UserItemMatrix& test,
                                       std::span<const std::uint32_t> users, std::size_t population,
                                       int k, int threads);
// Over every user with a test positive.
Result<PrecisionAtK> ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                                       const UserItemMatrix& test, int k, int threads);

// The popularity baseline over `users` (as above): every user gets the items with the
// most train positives (ties by lower index), minus their own train items.
PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, std::span<const std::uint32_t> users,
                                    std::size_t population, int k);
// Over every user with a test positive.
PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, int k);

}  // namespace botify::train::mf
