#include "engine/train/mf/precision_at_k.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "engine/train/mf/evaluation_users.h"
#include "engine/train/mf/top_k.h"
#include "engine/train/mf/user_block_ranker.h"

namespace botify::train::mf {
namespace {

double HitShare(std::span<const std::uint32_t> top, const UserItemMatrix& test, std::uint32_t u,
                int k) {
  int hits = 0;
  for (const std::uint32_t item : top) hits += test.Contains(u, item) ? 1 : 0;
  return static_cast<double>(hits) / k;
}

PrecisionAtK Summarize(std::span<const double> per_user, std::size_t population) {
  PrecisionAtK out = SummarizePrecision(per_user);
  out.population = population;
  return out;
}

}  // namespace

PrecisionAtK SummarizePrecision(std::span<const double> per_user) {
  PrecisionAtK out;
  out.users = per_user.size();
  out.population = per_user.size();
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
                               const UserItemMatrix& test, std::span<const std::uint32_t> users,
                               std::size_t population, int k, int threads) {
  // per_user[j] belongs to users[j]: summed in user order whatever the thread count.
  std::vector<double> per_user(users.size());
  const std::size_t workers = static_cast<std::size_t>(std::max(1, threads));
  const std::size_t chunk = (users.size() + workers - 1) / workers;
  {
    std::vector<std::jthread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      const std::size_t begin = std::min(users.size(), w * chunk);
      const std::size_t end = std::min(users.size(), begin + chunk);
      pool.emplace_back([&, begin, end] {
        UserBlockRanker ranker(model, static_cast<std::size_t>(k), &train);
        std::size_t j = begin;
        RankUsersInBlocks(ranker, users.subspan(begin, end - begin),
                          [&](std::span<const std::uint32_t> block, const UserBlockRanker& r) {
                            for (std::size_t b = 0; b < block.size(); ++b, ++j) {
                              per_user[j] = HitShare(r.top(b), test, block[b], k);
                            }
                          });
      });
    }
  }
  return Summarize(per_user, population);
}

PrecisionAtK ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                               const UserItemMatrix& test, int k, int threads) {
  const std::vector<std::uint32_t> users = EvaluationUsers(test, 0, 0);
  return ModelPrecisionAtK(model, train, test, users, users.size(), k, threads);
}

PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, std::span<const std::uint32_t> users,
                                    std::size_t population, int k) {
  const std::vector<std::uint32_t> counts = train.ItemCounts(n_items);
  const std::vector<float> scores(counts.begin(), counts.end());
  std::vector<double> per_user;
  TopKSelector selector(k);
  std::vector<std::uint32_t> top;
  for (const std::uint32_t u : users) {
    selector.Select(scores, train.Row(u), &top);
    per_user.push_back(HitShare(top, test, u, k));
  }
  return Summarize(per_user, population);
}

PrecisionAtK PopularityPrecisionAtK(const UserItemMatrix& train, const UserItemMatrix& test,
                                    std::uint32_t n_items, int k) {
  const std::vector<std::uint32_t> users = EvaluationUsers(test, 0, 0);
  return PopularityPrecisionAtK(train, test, n_items, users, users.size(), k);
}

}  // namespace botify::train::mf
