// What the server remembers of one listener's current session (issue 14): the tracks
// played or recommended so far, the session's first track, its best-listened track, and
// how often each artist has played. The simulated listener (docs/contracts.md §8), like a real one,
// gives nothing to a repeated track and discounts an artist by gamma per earlier play, so
// these are exactly the facts a session-aware recommender needs. A recommender that folds
// the session into state of its own (the session model's query) keeps it here too.
//
// Every operation costs O(1) (amortized for the hash tables' growth) whatever the
// session's length: requests late in a long session cost what early ones do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ids.h"
#include "engine/serving/id_table.h"

namespace botify::serving {

// Thread-compatible: the SessionStore serializes access to each session.
class SessionState {
 public:
  // `max_tracks` bounds the remembered tracks and artists (and so the memory of one
  // session, whatever a client sends); past it, further ones are not remembered.
  SessionState(TrackId first_track, std::size_t max_tracks)
      : first_track_(first_track), best_track_(first_track), max_tracks_(max_tracks) {}

  // The listener played `track` for fraction `time` (the body of a /next request).
  void RecordPlayed(TrackId track, double time, ArtistId artist);
  // The server recommended `track`; it is expected to be played next.
  void RecordRecommended(TrackId track) { Remember(track); }

  // True if `track` was played or recommended in this session. O(1).
  bool Seen(TrackId track) const { return seen_.Contains(track); }
  // How many times `artist` has played in this session. O(1).
  std::uint32_t ArtistPlays(ArtistId artist) const { return artists_.Get(artist); }

  TrackId first_track() const { return first_track_; }
  // The track listened to longest after the first one (the first track until then): the
  // best evidence of what this session is about.
  TrackId best_track() const { return best_track_; }
  std::uint32_t plays() const { return plays_; }
  std::size_t seen_count() const { return seen_.size(); }

  // A recommender's own state for this session: `size` floats, tagged with its owner
  // (a nonzero id, e.g. SessionModel::id()). Returns the floats; *fresh is true (and the
  // floats are zero) when the state was absent or had another tag or size, so the owner
  // must rebuild it.
  std::span<float> ModelState(std::uint64_t tag, std::size_t size, bool* fresh);
  // The state as last left by its owner; empty if `tag` does not own it.
  std::span<const float> ModelState(std::uint64_t tag) const {
    if (tag != model_tag_) return {};
    return model_state_;
  }

  // Heap and inline bytes this session holds, for the store's memory budget.
  std::size_t Bytes() const;

 private:
  void Remember(TrackId track) {
    if (seen_.size() < max_tracks_) seen_.Insert(track);
  }

  TrackId first_track_;
  TrackId best_track_;
  double best_time_ = -1;  // of best_track_, over plays after the first
  std::uint32_t plays_ = 0;
  std::size_t max_tracks_;
  IdSet seen_;
  IdCounts artists_;
  std::uint64_t model_tag_ = 0;
  std::vector<float> model_state_;
};

}  // namespace botify::serving
