#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

UserItemMatrix UserItemMatrix::FromPairs(
    std::uint32_t n_users, std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  UserItemMatrix m;
  m.indptr_.assign(static_cast<std::size_t>(n_users) + 1, 0);
  m.items_.reserve(pairs.size());
  for (const auto& [user, item] : pairs) {
    ++m.indptr_[user + 1];
    m.items_.push_back(item);
  }
  for (std::size_t u = 0; u < n_users; ++u) m.indptr_[u + 1] += m.indptr_[u];
  return m;
}

UserItemMatrix UserItemMatrix::FromCsr(std::vector<std::uint64_t> indptr,
                                       std::vector<std::uint32_t> items) {
  UserItemMatrix m;
  m.indptr_ = std::move(indptr);
  m.items_ = std::move(items);
  return m;
}

std::vector<std::uint32_t> UserItemMatrix::ItemCounts(std::uint32_t n_items) const {
  std::vector<std::uint32_t> counts(n_items, 0);
  for (const std::uint32_t item : items_) ++counts[item];
  return counts;
}

}  // namespace botify::train::mf
