// What the server remembers of one listener's current session (issue 14): the tracks
// played or recommended so far, the session's first track, its best-listened track, and
// how often each artist has played. The simulated listener (docs/contracts.md §8), like a real one,
// gives nothing to a repeated track and discounts an artist by gamma per earlier play, so
// these are exactly the facts a session-aware recommender needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/ids.h"
#include "engine/catalog/catalog.h"

namespace botify::serving {

// Thread-compatible: the SessionStore serializes access to each session.
class SessionState {
 public:
  // `max_tracks` bounds the remembered tracks (and so the memory of one session, whatever
  // a client sends); past it, further tracks are not remembered.
  SessionState(TrackId first_track, std::size_t max_tracks)
      : first_track_(first_track), best_track_(first_track), max_tracks_(max_tracks) {}

  // The listener played `track` for fraction `time` (the body of a /next request).
  void RecordPlayed(TrackId track, double time, ArtistId artist);
  // The server recommended `track`; it is expected to be played next.
  void RecordRecommended(TrackId track) { Remember(track); }

  // True if `track` was played or recommended in this session. O(log n).
  bool Seen(TrackId track) const;
  // How many times `artist` has played in this session. O(log n).
  std::uint32_t ArtistPlays(ArtistId artist) const;

  TrackId first_track() const { return first_track_; }
  // The track listened to longest after the first one (the first track until then): the
  // best evidence of what this session is about.
  TrackId best_track() const { return best_track_; }
  std::uint32_t plays() const { return plays_; }
  std::size_t seen_count() const { return seen_.size(); }

  // Heap and inline bytes this session holds, for the store's memory budget.
  std::size_t Bytes() const;

 private:
  void Remember(TrackId track);

  TrackId first_track_;
  TrackId best_track_;
  double best_time_ = -1;  // of best_track_, over plays after the first
  std::uint32_t plays_ = 0;
  std::size_t max_tracks_;
  std::vector<TrackId> seen_;  // sorted, unique
  struct ArtistCount {
    ArtistId artist;
    std::uint32_t plays;
  };
  std::vector<ArtistCount> artists_;  // sorted by artist
};

}  // namespace botify::serving
