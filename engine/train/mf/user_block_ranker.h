// Exact top-k items of a block of users, scored item tile by item tile.
//
// Why blocks: MfModel::ScoreAll for one user reads every item row, n_items x stride x 4 B
// (4.2 MB for 18,908 items of stride 56), more than a core's L2 cache, so user after user
// streams the whole item table from L3 or memory. Here a tile of kTileItems item rows
// (kTileItems x stride x 4 B, 57 KB at stride 56) is scored against every user of the
// block before the next tile is read: the item table is read once per block of users.
//
// Same lists as MfModel::ScoreAll + TopKSelector::Select, bit for bit: every score comes
// from MfModel::ScoreRange on tiles that start at multiples of 4 (ScoreAll's arithmetic),
// and each user's selector sees the items in ascending order (TopKSelector's streaming
// API performs Select's comparisons in Select's order).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/top_k.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

// Thread-compatible: one per thread. `model` and `exclude` must outlive it.
class UserBlockRanker {
 public:
  static constexpr std::uint32_t kTileItems = 256;  // a multiple of 4 (see above)
  static constexpr std::size_t kBlockUsers = 64;

  // Lists of k items; `exclude` (may be null) holds each user's items left out of their
  // list (the train positives).
  UserBlockRanker(const MfModel& model, std::size_t k, const UserItemMatrix* exclude);

  // Ranks at most kBlockUsers users; top(b) is then the list of users[b], best first.
  void Rank(std::span<const std::uint32_t> users);
  const std::vector<std::uint32_t>& top(std::size_t b) const { return tops_[b]; }

 private:
  const MfModel& model_;
  const UserItemMatrix* exclude_;
  std::vector<TopKSelector> selectors_;           // kBlockUsers
  std::vector<std::vector<std::uint32_t>> tops_;  // kBlockUsers
  std::vector<float> tile_scores_;                // kTileItems
};

// Called with consecutive blocks of users and the ranker holding their lists.
using RankedBlock =
    std::function<void(std::span<const std::uint32_t> users, const UserBlockRanker& ranker)>;

// Ranks `users` in blocks of UserBlockRanker::kBlockUsers, in order, on the calling thread.
void RankUsersInBlocks(UserBlockRanker& ranker, std::span<const std::uint32_t> users,
                       const RankedBlock& on_block);

}  // namespace botify::train::mf
