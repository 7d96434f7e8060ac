#include "engine/train/mf/user_block_ranker.h"

#include <algorithm>

namespace botify::train::mf {

UserBlockRanker::UserBlockRanker(const MfModel& model, std::size_t k, const UserItemMatrix* exclude)
    : model_(model),
      exclude_(exclude),
      selectors_(kBlockUsers, TopKSelector(k)),
      tops_(kBlockUsers),
      tile_scores_(kTileItems) {}

void UserBlockRanker::Rank(std::span<const std::uint32_t> users) {
  const std::size_t n = std::min(users.size(), kBlockUsers);
  for (std::size_t b = 0; b < n; ++b) {
    selectors_[b].Reset(exclude_ != nullptr ? exclude_->Row(users[b])
                                            : std::span<const std::uint32_t>());
  }
  const std::uint32_t n_items = model_.n_items();
  for (std::uint32_t begin = 0; begin < n_items; begin += kTileItems) {
    const std::uint32_t end = std::min(n_items, begin + kTileItems);
    const std::span<const float> scores(tile_scores_.data(), end - begin);
    for (std::size_t b = 0; b < n; ++b) {
      model_.ScoreRange(users[b], begin, end, tile_scores_.data());
      selectors_[b].Offer(scores, begin);
    }
  }
  for (std::size_t b = 0; b < n; ++b) selectors_[b].Finish(&tops_[b]);
}

void RankUsersInBlocks(UserBlockRanker& ranker, std::span<const std::uint32_t> users,
                       const RankedBlock& on_block) {
  for (std::size_t first = 0; first < users.size(); first += UserBlockRanker::kBlockUsers) {
    const auto block =
        users.subspan(first, std::min(UserBlockRanker::kBlockUsers, users.size() - first));
    ranker.Rank(block);
    on_block(block, ranker);
  }
}

}  // namespace botify::train::mf
