#include "engine/train/mf/interaction_split.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <unordered_map>

#include "base/random.h"

namespace botify::train::mf {
namespace {

using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Dense ids for the values whose count reaches `min_count`, ascending by value.
template <typename Id>
std::unordered_map<Id, std::uint32_t> KeepFrequent(const std::vector<UserTrack>& train,
                                                   Id UserTrack::*field, std::uint32_t min_count,
                                                   std::vector<Id>* kept) {
  std::unordered_map<Id, std::uint32_t> counts;
  for (const UserTrack& p : train) ++counts[p.*field];
  kept->clear();
  for (const auto& [id, count] : counts) {
    if (count >= min_count) kept->push_back(id);
  }
  std::sort(kept->begin(), kept->end());
  std::unordered_map<Id, std::uint32_t> dense;
  for (std::uint32_t i = 0; i < kept->size(); ++i) dense.emplace((*kept)[i], i);
  return dense;
}

// The kept rows as dense pairs; `timestamps` (if not null) gets each pair's timestamp in
// the pairs' sorted order, which is UserItemMatrix's CSR order (pairs are unique).
Pairs ToDense(const std::vector<UserTrack>& rows,
              const std::unordered_map<UserId, std::uint32_t>& users,
              const std::unordered_map<TrackId, std::uint32_t>& items,
              std::vector<std::int64_t>* timestamps = nullptr) {
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> kept;
  for (const UserTrack& p : rows) {
    const auto u = users.find(p.user);
    const auto i = items.find(p.track);
    if (u != users.end() && i != items.end())
      kept.emplace_back(u->second, i->second, p.timestamp_ms);
  }
  std::sort(kept.begin(), kept.end());
  Pairs out;
  out.reserve(kept.size());
  if (timestamps != nullptr) timestamps->clear();
  for (const auto& [u, i, t] : kept) {
    out.emplace_back(u, i);
    if (timestamps != nullptr) timestamps->push_back(t);
  }
  return out;
}

}  // namespace

Status InteractionSplitOptions::Validate() const {
  if (!(test_fraction > 0 && test_fraction < 1)) {
    return Status::InvalidArgument(
        fmt::format("test_fraction must be in (0, 1), got {}", test_fraction));
  }
  if (!std::isfinite(positive_threshold)) {
    return Status::InvalidArgument("positive_threshold must be a finite number");
  }
  return Status::Ok();
}

void SplitPositives(std::vector<UserTrack> positives, const InteractionSplitOptions& options,
                    std::vector<UserTrack>* train, std::vector<UserTrack>* test) {
  // Sorted by (user, track, timestamp): unique keeps each pair's earliest row, and the
  // order the shuffle starts from is that of the pairs alone, as before timestamps.
  std::sort(positives.begin(), positives.end());
  positives.erase(std::unique(positives.begin(), positives.end(),
                              [](const UserTrack& a, const UserTrack& b) {
                                return a.user == b.user && a.track == b.track;
                              }),
                  positives.end());
  const std::size_t n = positives.size();
  // ceil(n * fraction) with a guard for fractions like 0.3 that binary floats overshoot.
  const auto n_test = std::min(
      n,
      static_cast<std::size_t>(std::ceil(static_cast<double>(n) * options.test_fraction - 1e-9)));
  Rng rng(options.seed);
  for (std::size_t i = n; i > 1; --i) std::swap(positives[i - 1], positives[rng.Uniform(i)]);
  test->assign(positives.begin(), positives.begin() + n_test);
  train->assign(positives.begin() + n_test, positives.end());
}

Result<InteractionSplit> FilterByTrainCounts(const std::vector<UserTrack>& train,
                                             const std::vector<UserTrack>& test,
                                             const InteractionSplitOptions& options) {
  InteractionSplit split;
  const auto users =
      KeepFrequent(train, &UserTrack::user, options.min_user_positives, &split.user_ids);
  const auto items =
      KeepFrequent(train, &UserTrack::track, options.min_item_positives, &split.track_ids);
  split.train = UserItemMatrix::FromPairs(split.n_users(),
                                          ToDense(train, users, items, &split.train_timestamps_ms));
  split.test = UserItemMatrix::FromPairs(split.n_users(), ToDense(test, users, items));
  split.counts = {train.size() + test.size(), train.size(), test.size(), split.train.nnz(),
                  split.test.nnz()};
  if (split.train.nnz() == 0) {
    return Status::FailedPrecondition(fmt::format(
        "no train positives left: {} train positives before keeping users with >= {} and "
        "tracks with >= {} train positives",
        train.size(), options.min_user_positives, options.min_item_positives));
  }
  return split;
}

Result<InteractionSplit> BuildInteractionSplit(std::vector<UserTrack> positives,
                                               const InteractionSplitOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  std::vector<UserTrack> train, test;
  SplitPositives(std::move(positives), options, &train, &test);
  return FilterByTrainCounts(train, test, options);
}

Result<InteractionSplit> BuildInteractionSplit(std::span<const eventlog::Event> events,
                                               const InteractionSplitOptions& options) {
  std::vector<UserTrack> positives;
  for (const eventlog::Event& e : events) {
    if (IsPositive(e, options)) positives.push_back({e.user, e.track, e.timestamp_ms});
  }
  return BuildInteractionSplit(std::move(positives), options);
}

namespace {

Status WritePairs(const InteractionSplit& split, const UserItemMatrix& m, const std::string& path) {
  std::ofstream file(path, std::ios::trunc);
  file << "user\ttrack\n";
  for (std::uint32_t u = 0; u < m.users(); ++u) {
    for (const std::uint32_t i : m.Row(u))
      file << split.user_ids[u] << '\t' << split.track_ids[i] << '\n';
  }
  if (!file.flush()) return Status::IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
}

}  // namespace

Status WriteSplitTsv(const InteractionSplit& split, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("cannot create {}: {}", dir, ec.message()));
  BOTIFY_RETURN_IF_ERROR(WritePairs(split, split.train, dir + "/train.tsv"));
  return WritePairs(split, split.test, dir + "/test.tsv");
}

}  // namespace botify::train::mf
