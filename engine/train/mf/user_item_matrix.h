// A sparse 0/1 user x item matrix in CSR form: for each dense user index, the ascending
// dense item indices it holds. The trainer's "is j a positive of u" test and the
// evaluator's "exclude train items" both read it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace botify::train::mf {

// Thread-safe for reads: immutable after construction.
class UserItemMatrix {
 public:
  UserItemMatrix() : indptr_(1, 0) {}
  // Builds from (user, item) pairs in any order; duplicates are kept once.
  // Every user must be < n_users.
  static UserItemMatrix FromPairs(std::uint32_t n_users,
                                  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs);
  // Builds from raw CSR arrays; the caller guarantees ascending rows (used by loaders
  // that validated them).
  static UserItemMatrix FromCsr(std::vector<std::uint64_t> indptr,
                                std::vector<std::uint32_t> items);

  std::uint32_t users() const { return static_cast<std::uint32_t>(indptr_.size() - 1); }
  std::size_t nnz() const { return items_.size(); }
  std::span<const std::uint32_t> Row(std::uint32_t user) const {
    return {items_.data() + indptr_[user], items_.data() + indptr_[user + 1]};
  }
  // Binary search in the user's row: O(log row length).
  bool Contains(std::uint32_t user, std::uint32_t item) const {
    const auto row = Row(user);
    return std::binary_search(row.begin(), row.end(), item);
  }
  // Number of entries per item; size n_items.
  std::vector<std::uint32_t> ItemCounts(std::uint32_t n_items) const;

  const std::vector<std::uint64_t>& indptr() const { return indptr_; }
  const std::vector<std::uint32_t>& items() const { return items_; }

 private:
  std::vector<std::uint64_t> indptr_;  // size users + 1
  std::vector<std::uint32_t> items_;   // ascending within each row
};

}  // namespace botify::train::mf
