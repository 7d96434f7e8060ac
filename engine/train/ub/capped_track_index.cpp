#include "engine/train/ub/capped_track_index.h"

#include <algorithm>
#include <utility>

namespace botify::train::ub {
namespace {

// SplitMix64's finalizer: a bijection of 64 bits whose outputs pass as independent
// uniform draws for distinct inputs.
std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The sampling key of (track, user): by ids, not indices, so that it depends on the
// pair alone.
std::uint64_t SampleKey(std::uint64_t seed, TrackId track, UserId user) {
  return Mix(Mix(seed ^ Mix(track + 0x9e3779b97f4a7c15ULL)) + user);
}

}  // namespace

CappedTrackIndex::CappedTrackIndex(const InteractionMatrix& m, std::size_t cap,
                                   std::uint64_t seed) {
  offsets_.reserve(m.num_tracks() + 1);
  offsets_.push_back(0);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;  // (key, user index)
  for (std::size_t t = 0; t < m.num_tracks(); ++t) {
    const auto first = m.col_users.begin() + m.col_offsets[t];
    const auto last = m.col_users.begin() + m.col_offsets[t + 1];
    if (static_cast<std::size_t>(last - first) <= cap) {
      users_.insert(users_.end(), first, last);
    } else {
      keyed.clear();
      for (auto v = first; v != last; ++v) {
        keyed.emplace_back(SampleKey(seed, m.tracks[t], m.users[*v]), *v);
      }
      std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(cap),
                       keyed.end());
      const std::size_t start = users_.size();
      for (std::size_t i = 0; i < cap; ++i) users_.push_back(keyed[i].second);
      std::sort(users_.begin() + static_cast<std::ptrdiff_t>(start), users_.end());
    }
    offsets_.push_back(static_cast<std::uint32_t>(users_.size()));
  }
}

}  // namespace botify::train::ub
