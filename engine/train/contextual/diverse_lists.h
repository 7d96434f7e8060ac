// Re-ranks a ranked candidate list so that no artist repeats near the top: the listener
// of docs/contracts.md §8 discounts a track by 0.8 per earlier play of its artist in the session,
// and the server picks a uniformly random element of the list, so a list full of one artist wastes
// most picks.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "base/ids.h"
#include "engine/catalog/catalog.h"

namespace botify::train::contextual {

struct DiverseOptions {
  // List length.
  std::size_t length = 100;
  // The first `distinct_depth` positions hold at most one track per artist (and none of
  // `avoid_artist`); the rest is filled with the remaining candidates in rank order.
  std::size_t distinct_depth = 100;
};

// `ranked`: candidates best first (distinct tracks). `artist_of[t]` is t's artist.
// `avoid_artist`: an artist kept out of the distinct part (the context's own artist, whose
// repeat the listener discounts too), or nullptr for none. Pure; thread-safe.
std::vector<TrackId> DiverseList(std::span<const TrackId> ranked,
                                 std::span<const ArtistId> artist_of, const ArtistId* avoid_artist,
                                 const DiverseOptions& options);

}  // namespace botify::train::contextual
