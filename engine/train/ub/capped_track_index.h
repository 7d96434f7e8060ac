// The bounded mode's inverted index (UserBasedOptions::candidates_per_track): for every
// track, at most `cap` of the users who played it. A track with at most `cap` users keeps
// them all; a more popular one keeps the `cap` users with the smallest hash of
// (seed, track id, user id). That sample is deterministic for a seed, uniform, drawn
// independently per track (so no user becomes everybody's candidate), and it does not
// change when other tracks or users are added to the logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/train/ub/interaction_matrix.h"

namespace botify::train::ub {

// Immutable after construction; thread-safe to read. Memory: 4 bytes per kept entry,
// at most min(R's entries, cap × tracks).
class CappedTrackIndex {
 public:
  // cap >= 1. Cost: one pass over R's columns, plus a partial sort of each capped one.
  CappedTrackIndex(const InteractionMatrix& m, std::size_t cap, std::uint64_t seed);

  // User indices kept for track index t, ascending.
  std::span<const std::uint32_t> Users(std::size_t t) const {
    return {users_.data() + offsets_[t], offsets_[t + 1] - offsets_[t]};
  }
  std::size_t num_entries() const { return users_.size(); }

 private:
  std::vector<std::uint32_t> offsets_;  // track t's users are [offsets_[t], offsets_[t + 1])
  std::vector<std::uint32_t> users_;
};

}  // namespace botify::train::ub
