#include "engine/serving/session_state.h"

#include <algorithm>

namespace botify::serving {

void SessionState::RecordPlayed(TrackId track, double time, ArtistId artist) {
  // The first /next of a session carries the first track itself; later ones carry the
  // previous recommendation, which is already remembered.
  Remember(track);
  if (plays_ > 0 && time >= best_time_) {
    best_time_ = time;
    best_track_ = track;
  }
  ++plays_;
  auto it = std::lower_bound(artists_.begin(), artists_.end(), artist,
                             [](const ArtistCount& a, ArtistId x) { return a.artist < x; });
  if (it != artists_.end() && it->artist == artist) {
    ++it->plays;
  } else if (artists_.size() < max_tracks_) {
    artists_.insert(it, {artist, 1});
  }
}

void SessionState::Remember(TrackId track) {
  auto it = std::lower_bound(seen_.begin(), seen_.end(), track);
  if (it != seen_.end() && *it == track) return;
  if (seen_.size() >= max_tracks_) return;
  seen_.insert(it, track);
}

bool SessionState::Seen(TrackId track) const {
  return std::binary_search(seen_.begin(), seen_.end(), track);
}

std::uint32_t SessionState::ArtistPlays(ArtistId artist) const {
  auto it = std::lower_bound(artists_.begin(), artists_.end(), artist,
                             [](const ArtistCount& a, ArtistId x) { return a.artist < x; });
  return it != artists_.end() && it->artist == artist ? it->plays : 0;
}

std::size_t SessionState::Bytes() const {
  return sizeof(*this) + seen_.capacity() * sizeof(TrackId) +
         artists_.capacity() * sizeof(ArtistCount);
}

}  // namespace botify::serving
