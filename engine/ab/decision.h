// The decision over an experiment (docs/ab.md "Decisions"), beyond the seminar's table: per
// treatment arm, "better", "worse" or "no evidence" on the primary metric after a
// multiple-testing correction, and the guardrail metrics it makes worse.
//
// Per (treatment arm T, metric) against C, on each user's value of the metric (CUPED-adjusted
// when a pre-period is given, engine/ab/cuped.h, fitted on C and T):
//   - Welch's test (the seminar's, engine/ab/welch_interval.h) and its two-sided p-value;
//   - the relative effect mean_T / mean_C - 1 with a delta-method interval
//     (engine/ab/relative_effect.h);
//   - with options.sequential, the mSPRT on the relative effect (engine/ab/sequential_test.h):
//     its always-valid p-value and interval replace the fixed-horizon ones.
// Families: the primary metric over the treatment arms; the four guardrail metrics over the
// treatment arms (arms x 4 tests). Within a family the p-values are adjusted by
// options.correction; a test is decided when its adjusted p-value is below options.alpha,
// and is then "better" or "worse" by the metric's direction (engine/ab/user_metric.h).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/ab/ab_options.h"
#include "engine/ab/cuped.h"
#include "engine/ab/relative_effect.h"
#include "engine/ab/sequential_test.h"
#include "engine/ab/sessionizer.h"
#include "engine/ab/user_metric.h"
#include "engine/ab/welch_interval.h"

namespace botify::ab {

enum class Outcome { kNoEvidence, kBetter, kWorse };

// "no evidence", "better", "worse".
std::string_view OutcomeName(Outcome outcome);

// Treatment arm T against C on one metric.
struct Comparison {
  int treatment_arm = 1;
  UserMetric metric = UserMetric::kTime;
  bool primary = false;
  // Of the values compared: each user's metric, CUPED-adjusted with a pre-period.
  SampleSummary control;
  SampleSummary treatment;
  WelchInterval welch;        // absolute difference of those values
  RelativeEffect relative;    // their relative difference, delta-method interval
  SequentialTest sequential;  // only with options.sequential
  bool is_sequential = false;
  // With a pre-period: CUPED fitted on C and T (cuped.theta = {C's, T's}), and the share of
  // the relative effect's variance it removed, 1 - SE^2 (CUPED) / SE^2 (raw values), both
  // delta-method; negative when CUPED widens the interval.
  bool is_cuped = false;
  CupedFit cuped;
  double variance_reduction = 0;
  double p_value = 0;     // welch.p_value, or sequential.p_value with options.sequential
  double p_adjusted = 0;  // within the comparison's family
  Outcome outcome = Outcome::kNoEvidence;

  // The relative interval the decision uses: delta-method, or always-valid (sequential).
  double lower() const;
  double upper() const;
};

// Per treatment arm.
struct ArmVerdict {
  int arm = 1;
  Outcome verdict = Outcome::kNoEvidence;        // the primary comparison's outcome
  std::size_t primary = 0;                       // index of its primary comparison
  std::vector<std::size_t> guardrails_violated;  // indices of guardrails with outcome kWorse
};

// With a pre-period, per metric over all arms: users with and without a pre-period value.
struct CupedCoverage {
  UserMetric metric = UserMetric::kTime;
  std::int64_t users_with = 0;
  std::int64_t users_without = 0;
};

struct Decision {
  // Per treatment arm (ascending): the primary comparison, then the guardrails in
  // kUserMetrics order.
  std::vector<Comparison> comparisons;
  std::vector<ArmVerdict> verdicts;  // per treatment arm with users, ascending
  int primary_tests = 0;             // defined p-values in the primary family
  int guardrail_tests = 0;           // defined p-values in the guardrail family

  // With a pre-period: per metric (kUserMetrics order) who has a pre-period value and, per
  // arm, the users absent from the pre-period.
  bool cuped = false;
  std::vector<CupedCoverage> cuped_coverage;
  std::array<std::int64_t, eventlog::kMaxArms> users_without_pre_period{};
  std::int64_t pre_period_users = 0;  // users in the pre-period
};

// `pre_period` may be null (no CUPED); otherwise the per-user totals of a pre-period, every row
// as arm C (Sessionizer::ForAllRows). `log` has users in C and at least one treatment arm
// (AnalyzeExperiment checks it).
Decision Decide(const SessionizedLog& log, const SessionizedLog* pre_period,
                const AbOptions& options);

}  // namespace botify::ab
