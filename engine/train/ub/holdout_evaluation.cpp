#include "engine/train/ub/holdout_evaluation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/random.h"

namespace botify::train::ub {

Status HoldoutOptions::Validate() const {
  if (!(test_fraction > 0 && test_fraction < 1)) {
    return Status::InvalidArgument("test_fraction must be in (0, 1), got " +
                                   std::to_string(test_fraction));
  }
  if (!(user_fraction > 0 && user_fraction <= 1)) {
    return Status::InvalidArgument("user_fraction must be in (0, 1], got " +
                                   std::to_string(user_fraction));
  }
  if (!std::isfinite(relevant_time)) return Status::InvalidArgument("relevant_time must be finite");
  if (k == 0) return Status::InvalidArgument("k must be >= 1");
  return Status::Ok();
}

namespace {

bool Evaluated(UserId user, const HoldoutOptions& options) {
  return options.user_fraction >= 1 ||
         Rng::ForStream(options.seed, user).UniformDouble() < options.user_fraction;
}

// Splits one user's rows [begin, end), already in time order.
void SplitUser(const TimedRow* begin, const TimedRow* end, const HoldoutOptions& options,
               HoldoutSplit* split) {
  const auto n = static_cast<std::size_t>(end - begin);
  std::size_t n_test = 0;
  if (n >= 2 && Evaluated(begin->user, options)) {
    n_test = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(options.test_fraction * static_cast<double>(n))), 1,
        n - 1);
    auto& relevant = split->relevant[begin->user];
    for (const TimedRow* r = end - n_test; r != end; ++r) {
      if (r->time > options.relevant_time) relevant.push_back(r->track);
    }
    std::sort(relevant.begin(), relevant.end());
    relevant.erase(std::unique(relevant.begin(), relevant.end()), relevant.end());
  }
  for (const TimedRow* r = begin; r != end - n_test; ++r) {
    split->train.Add(r->user, r->track, r->time);
    ++split->train_plays[r->track];
  }
  split->test_rows += n_test;
}

}  // namespace

HoldoutSplit SplitHoldout(std::vector<TimedRow> rows, const HoldoutOptions& options) {
  std::stable_sort(rows.begin(), rows.end(), [](const TimedRow& a, const TimedRow& b) {
    return a.user != b.user ? a.user < b.user : a.timestamp_ms < b.timestamp_ms;
  });
  HoldoutSplit split;
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t end = begin;
    while (end < rows.size() && rows[end].user == rows[begin].user) ++end;
    SplitUser(rows.data() + begin, rows.data() + end, options, &split);
    begin = end;
  }
  return split;
}

RankingQuality Evaluate(const std::vector<UserList>& lists, const HoldoutSplit& split,
                        std::size_t k) {
  std::unordered_map<UserId, const UserList*> by_user;
  for (const auto& l : lists) by_user[l.user] = &l;
  RankingQuality q;
  for (const auto& [user, relevant] : split.relevant) {
    if (relevant.empty()) continue;
    std::size_t hits = 0;
    if (auto it = by_user.find(user); it != by_user.end()) {
      const auto& tracks = it->second->tracks;
      for (std::size_t i = 0; i < std::min(k, tracks.size()); ++i) {
        hits += std::binary_search(relevant.begin(), relevant.end(), tracks[i]) ? 1 : 0;
      }
    }
    ++q.users;
    q.precision += static_cast<double>(hits) / static_cast<double>(k);
    q.recall += static_cast<double>(hits) / static_cast<double>(relevant.size());
  }
  if (q.users > 0) {
    q.precision /= static_cast<double>(q.users);
    q.recall /= static_cast<double>(q.users);
  }
  return q;
}

std::vector<UserList> PopularityLists(const HoldoutSplit& split, std::size_t k) {
  std::vector<std::pair<std::size_t, TrackId>> plays;
  for (const auto& [track, n] : split.train_plays) plays.emplace_back(n, track);
  const std::size_t n = std::min(k, plays.size());
  std::partial_sort(plays.begin(), plays.begin() + static_cast<std::ptrdiff_t>(n), plays.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  UserList top;
  for (std::size_t i = 0; i < n; ++i) top.tracks.push_back(plays[i].second);
  std::vector<UserList> lists;
  for (const auto& [user, relevant] : split.relevant) {
    lists.push_back(top);
    lists.back().user = user;
  }
  return lists;
}

}  // namespace botify::train::ub
