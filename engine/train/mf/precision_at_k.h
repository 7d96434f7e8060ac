// Precision@k on the test positives, excluding each user's train items from the ranking
// (LightFM's precision_at_k with train_interactions): over the users with at least one
// test positive, the share of their top-k that are test positives; reported as the mean
// with a normal-approximation 95% interval (mean +- 1.96 * sample sd / sqrt(users)).
#pragma once

#include <cstddef>
#include <span>

#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

struct PrecisionAtK {
  double mean = 0.0;
  double half_width = 0.0;  // of the 95% interval
  std::size_t users = 0;    // users with at least one test positive
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

// The model's precision@k; users are split over `threads` workers (result independent
// of the thread count).
PrecisionAtK ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                               const UserItemMatrix& test, int k, int threads);

// The popularity baseline: every user gets the items with the most train positives
// (ties by lower index), minus their own train items.
PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, int k);

}  // namespace botify::train::mf
