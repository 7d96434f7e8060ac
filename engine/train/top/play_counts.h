// Popularity for TopPop (docs/contracts.md §5): how often each track was played, from event logs.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "engine/eventlog/event.h"

namespace botify::train::top {

// Counts plays: every row (next or last) reports the track just played.
// Thread-compatible.
class PlayCounts {
 public:
  void Add(const eventlog::Event& event) { ++counts_[event.track]; }
  // The `n` most played tracks, most played first; ties by track id ascending.
  std::vector<TrackId> Top(std::size_t n) const;
  std::size_t distinct_tracks() const { return counts_.size(); }

 private:
  std::unordered_map<TrackId, std::uint64_t> counts_;
};

}  // namespace botify::train::top
