// A reference for the dense rankings' tests: every pair scored in double precision, and a
// comparison of a ranked list with it that tolerates near-ties, i.e. scores within float
// rounding of each other (engine/dense/index.h: float kernels may order those either
// way; nothing else may differ).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/dense/index.h"
#include "engine/dense/rows.h"

namespace botify::testing {

struct ScoredTarget {
  std::uint32_t id = 0;
  double score = 0;      // dot(query, target) + bias in double
  double tolerance = 0;  // a bound on |float score - score|
};

// score(t) for one query; tolerance = (cols + 2) x 2^-23 x (sum_d |q_d t_d| + |bias|):
// twice the bound of a float sum of cols + 1 terms in any order, with or without fused
// multiply-adds. Zero when every product and partial sum is an exact float (small
// integers), so such scores must match exactly.
ScoredTarget ScoreInDouble(const dense::Targets& targets, const float* query, std::uint32_t t);

// The best k targets by the double score, equal scores to the lower id, skipping
// `excluded` (ascending) and NaN-bias targets.
std::vector<ScoredTarget> ReferenceTopK(const dense::Targets& targets, const float* query,
                                        std::size_t k, std::span<const std::uint32_t> excluded);

// "" when `got` agrees with `reference` up to near-ties: the same length, no target twice,
// none excluded or with a NaN bias, and at every position i |score(got[i]) -
// reference[i].score| <= both tolerances. So the two lists are the same wherever
// neighbouring scores differ by more than float rounding, and tied scores (equal in
// double, zero tolerance) keep the lower id first. Otherwise what differs and where.
std::string CompareUpToNearTies(const dense::Targets& targets, const float* query,
                                std::span<const std::uint32_t> got,
                                std::span<const std::uint32_t> excluded,
                                const std::vector<ScoredTarget>& reference);

// "" when `got` is a valid bounded list: no target twice, none excluded or with a NaN
// bias, ordered by the double score (up to tolerances), at most k long.
std::string CheckBoundedList(const dense::Targets& targets, const float* query,
                             std::span<const std::uint32_t> got,
                             std::span<const std::uint32_t> excluded, std::size_t k);

// Targets as owned arrays, for tests: rows x cols floats (stride cols) and a bias each.
struct OwnedTargets {
  std::size_t rows = 0, cols = 0;
  std::vector<float> vectors;
  std::vector<float> bias;
  dense::Targets view() const { return {{vectors.data(), rows, cols, cols}, bias}; }
};

// Random rows: values uniform in [-1, 1) (or small integers in [-2, 2] with `integers`,
// exact in float), biases likewise; every 7th target copies target 3 (exact ties).
OwnedTargets RandomTargets(std::size_t rows, std::size_t cols, std::uint64_t seed, bool integers);

// Options of the bounded indexes for tests (seed 17; HNSW with M 32 unless given).
dense::IndexOptions IvfOptions(std::size_t lists, std::size_t probe);
dense::IndexOptions HnswOptions(std::size_t ef_search, std::size_t m = 32);

}  // namespace botify::testing
