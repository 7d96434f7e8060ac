#include "engine/train/mf/precision_at_k.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

#include "engine/train/mf/top_k.h"

namespace botify::train::mf {
namespace {

double HitShare(std::span<const std::uint32_t> top, const UserItemMatrix& test, std::uint32_t u,
                int k) {
  int hits = 0;
  for (const std::uint32_t item : top) hits += test.Contains(u, item) ? 1 : 0;
  return static_cast<double>(hits) / k;
}

// Per-user precision for users [begin, end) with test positives; NaN for the others.
using RankFn = std::function<void(std::uint32_t u, std::vector<std::uint32_t>* top)>;

void PrecisionRange(const RankFn& rank, const UserItemMatrix& test, int k, std::uint32_t begin,
                    std::uint32_t end, std::vector<double>* per_user) {
  std::vector<std::uint32_t> top;
  for (std::uint32_t u = begin; u < end; ++u) {
    if (test.Row(u).empty()) continue;
    rank(u, &top);
    (*per_user)[u] = HitShare(top, test, u, k);
  }
}

PrecisionAtK CollectPrecision(const std::vector<double>& per_user) {
  std::vector<double> defined;
  for (const double p : per_user) {
    if (!std::isnan(p)) defined.push_back(p);
  }
  return SummarizePrecision(defined);
}

}  // namespace

PrecisionAtK SummarizePrecision(std::span<const double> per_user) {
  PrecisionAtK out;
  out.users = per_user.size();
  if (per_user.empty()) return out;
  double sum = 0.0;
  for (const double p : per_user) sum += p;
  out.mean = sum / static_cast<double>(per_user.size());
  if (per_user.size() < 2) return out;
  double squares = 0.0;
  for (const double p : per_user) squares += (p - out.mean) * (p - out.mean);
  const double variance = squares / static_cast<double>(per_user.size() - 1);
  out.half_width = 1.96 * std::sqrt(variance / static_cast<double>(per_user.size()));
  return out;
}

PrecisionAtK ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                               const UserItemMatrix& test, int k, int threads) {
  const std::uint32_t n_users = model.n_users();
  std::vector<double> per_user(n_users, std::nan(""));
  const auto workers = static_cast<std::uint32_t>(std::max(1, threads));
  const std::uint32_t chunk = (n_users + workers - 1) / workers;
  std::vector<std::jthread> pool;
  for (std::uint32_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      std::vector<float> scores(model.n_items());
      TopKSelector selector(k);
      RankFn rank = [&](std::uint32_t u, std::vector<std::uint32_t>* top) {
        model.ScoreAll(u, scores);
        selector.Select(scores, train.Row(u), top);
      };
      PrecisionRange(rank, test, k, std::min(n_users, w * chunk),
                     std::min(n_users, (w + 1) * chunk), &per_user);
    });
  }
  pool.clear();  // joins
  return CollectPrecision(per_user);
}

PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, int k) {
  const std::vector<std::uint32_t> counts = train.ItemCounts(n_items);
  const std::vector<float> scores(counts.begin(), counts.end());
  std::vector<double> per_user(train.users(), std::nan(""));
  TopKSelector selector(k);
  RankFn rank = [&](std::uint32_t u, std::vector<std::uint32_t>* top) {
    selector.Select(scores, train.Row(u), top);
  };
  PrecisionRange(rank, test, k, 0, train.users(), &per_user);
  return CollectPrecision(per_user);
}

}  // namespace botify::train::mf
