#include "tests/engine/dense/reference_ranking.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "base/random.h"

namespace botify::testing {

ScoredTarget ScoreInDouble(const dense::Targets& targets, const float* query, std::uint32_t t) {
  const std::size_t cols = targets.vectors.cols;
  const float* row = targets.vectors.row(t);
  ScoredTarget s{t, targets.bias[t], std::abs(double{targets.bias[t]})};
  for (std::size_t d = 0; d < cols; ++d) {
    const double p = double{query[d]} * double{row[d]};
    s.score += p;
    s.tolerance += std::abs(p);
  }
  s.tolerance *= static_cast<double>(cols + 2) * std::ldexp(1.0, -23);
  // Small integers: every product and partial sum is exact in float.
  bool exact = std::nearbyint(targets.bias[t]) == targets.bias[t];
  for (std::size_t d = 0; exact && d < cols; ++d) {
    exact = std::nearbyint(query[d]) == query[d] && std::nearbyint(row[d]) == row[d];
  }
  if (exact) s.tolerance = 0;
  return s;
}

std::vector<ScoredTarget> ReferenceTopK(const dense::Targets& targets, const float* query,
                                        std::size_t k, std::span<const std::uint32_t> excluded) {
  std::vector<ScoredTarget> all;
  for (std::uint32_t t = 0; t < targets.vectors.rows; ++t) {
    if (std::isnan(targets.bias[t]) || std::binary_search(excluded.begin(), excluded.end(), t)) {
      continue;
    }
    all.push_back(ScoreInDouble(targets, query, t));
  }
  std::sort(all.begin(), all.end(), [](const ScoredTarget& a, const ScoredTarget& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  });
  all.resize(std::min(k, all.size()));
  return all;
}

namespace {

// "" when every id of `got` is a candidate (not excluded, not NaN-biased) and appears once.
std::string CheckCandidates(const dense::Targets& targets, std::span<const std::uint32_t> got,
                            std::span<const std::uint32_t> excluded) {
  std::set<std::uint32_t> seen;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::uint32_t t = got[i];
    if (t >= targets.vectors.rows) return fmt::format("position {}: target {} out of range", i, t);
    if (!seen.insert(t).second) return fmt::format("position {}: target {} twice", i, t);
    if (std::binary_search(excluded.begin(), excluded.end(), t)) {
      return fmt::format("position {}: target {} is excluded", i, t);
    }
    if (std::isnan(targets.bias[t])) {
      return fmt::format("position {}: target {} has a NaN bias", i, t);
    }
  }
  return "";
}

}  // namespace

std::string CompareUpToNearTies(const dense::Targets& targets, const float* query,
                                std::span<const std::uint32_t> got,
                                std::span<const std::uint32_t> excluded,
                                const std::vector<ScoredTarget>& reference) {
  if (got.size() != reference.size()) {
    return fmt::format("{} targets, the reference has {}", got.size(), reference.size());
  }
  if (std::string bad = CheckCandidates(targets, got, excluded); !bad.empty()) return bad;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const ScoredTarget g = ScoreInDouble(targets, query, got[i]);
    const ScoredTarget& r = reference[i];
    if (std::abs(g.score - r.score) > g.tolerance + r.tolerance ||
        (g.tolerance + r.tolerance == 0 && g.id != r.id)) {
      return fmt::format(
          "position {}: target {} (score {:.9g}) where the reference has {} ({:.9g})", i, g.id,
          g.score, r.id, r.score);
    }
  }
  return "";
}

std::string CheckBoundedList(const dense::Targets& targets, const float* query,
                             std::span<const std::uint32_t> got,
                             std::span<const std::uint32_t> excluded, std::size_t k) {
  if (got.size() > k) return fmt::format("{} targets for k = {}", got.size(), k);
  if (std::string bad = CheckCandidates(targets, got, excluded); !bad.empty()) return bad;
  for (std::size_t i = 1; i < got.size(); ++i) {
    const ScoredTarget a = ScoreInDouble(targets, query, got[i - 1]);
    const ScoredTarget b = ScoreInDouble(targets, query, got[i]);
    if (b.score > a.score + a.tolerance + b.tolerance) {
      return fmt::format("position {}: target {} scores {:.9g}, above the one before ({:.9g})", i,
                         b.id, b.score, a.score);
    }
  }
  return "";
}

OwnedTargets RandomTargets(std::size_t rows, std::size_t cols, std::uint64_t seed, bool integers) {
  OwnedTargets t;
  t.rows = rows;
  t.cols = cols;
  Rng rng(seed);
  auto value = [&] {
    return integers ? static_cast<float>(rng.Uniform(5)) - 2.0f
                    : static_cast<float>(2 * rng.UniformDouble() - 1);
  };
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) t.vectors.push_back(value());
    t.bias.push_back(value());
  }
  for (std::size_t r = 7; r < rows; r += 7) {
    if (r == 3) continue;
    std::copy_n(&t.vectors[3 * cols], cols, &t.vectors[r * cols]);
    t.bias[r] = t.bias[3];
  }
  return t;
}

dense::IndexOptions IvfOptions(std::size_t lists, std::size_t probe) {
  dense::IndexOptions o;
  o.kind = dense::IndexKind::kIvf;
  o.lists = lists;
  o.probe = probe;
  o.seed = 17;
  return o;
}

dense::IndexOptions HnswOptions(std::size_t ef_search, std::size_t m) {
  dense::IndexOptions o;
  o.kind = dense::IndexKind::kHnsw;
  o.hnsw_m = m;
  o.ef_search = ef_search;
  o.seed = 17;
  return o;
}

}  // namespace botify::testing
