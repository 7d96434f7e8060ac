// One simulated session (docs/contracts.md §8, exactly), as a state machine that any driver can
// step: the in-process runner calls a policy, the HTTP driver waits for the server's answer.
//
//   Episode e(sim, index);                 // samples user, interest, first track
//   while (!e.done()) e.Listen(Recommend(e.user(), e.last_track(), e.last_time()));
//   Send /last with e.last_track(), e.last_time(); record e.result().
//
// Draws, in order, from Rng::ForStream(seed, index): user (uniform), interest (uniform
// of 3), first track (uniform among the interest's interest_neighbours nearest tracks),
// then one uniform double per recommendation for the budget test. So the episode depends
// only on (seed, index) and the recommendations it is given.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/random.h"
#include "engine/catalog/catalog.h"
#include "engine/sim/simulator.h"

namespace botify::sim {

struct EpisodeResult {
  std::uint64_t index = 0;
  UserId user = 0;
  TrackId interest = 0;
  double reward = 0;        // sum of listen times of the recommendations
  std::uint32_t steps = 0;  // number of recommendations
  bool truncated = false;   // ended by SimulatorOptions::max_steps, not by the budget
};

// Thread-compatible. `sim` must outlive the episode.
class Episode {
 public:
  Episode(Simulator& sim, std::uint64_t index);

  const world::User& user() const { return *user_; }
  TrackId interest() const { return interest_; }
  // The session embedding e.
  std::span<const float> embedding() const { return sim_->world().embeddings.row(interest_); }
  TrackId last_track() const { return last_track_; }
  double last_time() const { return last_time_; }
  bool done() const { return budget_ <= 0 || result_.truncated; }
  bool Played(TrackId track) const;
  // How many recommendations (and the first track) of `artist` played so far: the k of
  // the next play's discount gamma^k.
  int ArtistPlays(ArtistId artist) const;
  // Tracks in play order, the first track included.
  std::span<const TrackId> played() const { return played_; }

  // The user listens to recommendation `track`. Preconditions: !done() and `track` is a
  // catalog track (drivers check answers before calling). Returns the listen time.
  double Listen(TrackId track);

  const EpisodeResult& result() const { return result_; }

 private:
  // Number of earlier plays of `artist`; then counts one more.
  int CountArtistPlay(ArtistId artist);

  Simulator* sim_;
  Rng rng_;
  const world::User* user_;
  TrackId interest_;
  TrackId last_track_;
  double last_time_ = 1.0;
  int budget_;
  std::vector<TrackId> played_;
  std::vector<std::pair<ArtistId, int>> artist_plays_;  // sessions are short: linear scan
  EpisodeResult result_;
};

}  // namespace botify::sim
