#include "engine/train/contextual/diverse_lists.h"

#include <algorithm>
#include <unordered_set>

namespace botify::train::contextual {

std::vector<TrackId> DiverseList(std::span<const TrackId> ranked,
                                 std::span<const ArtistId> artist_of, const ArtistId* avoid_artist,
                                 const DiverseOptions& options) {
  const std::size_t length = std::min(options.length, ranked.size());
  const std::size_t depth = std::min(options.distinct_depth, length);
  std::vector<TrackId> out;
  out.reserve(length);
  std::vector<bool> taken(ranked.size(), false);
  std::unordered_set<ArtistId> artists;
  if (avoid_artist != nullptr) artists.insert(*avoid_artist);
  for (std::size_t i = 0; i < ranked.size() && out.size() < depth; ++i) {
    if (artists.insert(artist_of[ranked[i]]).second) {
      out.push_back(ranked[i]);
      taken[i] = true;
    }
  }
  for (std::size_t i = 0; i < ranked.size() && out.size() < length; ++i) {
    if (!taken[i]) out.push_back(ranked[i]);
  }
  return out;
}

}  // namespace botify::train::contextual
