#include "engine/train/mf/precision_at_k.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/dense/exact_index.h"
#include "engine/dense/top_k.h"
#include "engine/train/mf/evaluation_users.h"
#include "engine/train/mf/model_rows.h"

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

Result<PrecisionAtK> ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
                                       const UserItemMatrix& test,
                                       std::span<const std::uint32_t> users, std::size_t population,
                                       int k, int threads) {
  // per_user[j] belongs to users[j]: summed in user order whatever the thread count.
  std::vector<double> per_user(users.size());
  const dense::ExactIndex items(ItemTargets(model));
  BOTIFY_RETURN_IF_ERROR(
      items.Search(UserQueries(model, users, &train), static_cast<std::size_t>(k),
                   std::max(1, threads), [&](std::uint32_t u, std::span<const std::uint32_t> top) {
                     const auto j = std::lower_bound(users.begin(), users.end(), u) - users.begin();
                     per_user[static_cast<std::size_t>(j)] = HitShare(top, test, u, k);
                   }));
  return Summarize(per_user, population);
}

Result<PrecisionAtK> ModelPrecisionAtK(const MfModel& model, const UserItemMatrix& train,
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
  dense::TopK selector;
  std::vector<std::uint32_t> top;
  for (const std::uint32_t u : users) {
    selector.Reset(static_cast<std::size_t>(k), train.Row(u));
    selector.Offer(scores.data(), scores.size(), 0);
    selector.Finish(&top);
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
