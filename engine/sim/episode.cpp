#include "engine/sim/episode.h"

#include <algorithm>

#include "engine/sim/listen_time.h"

namespace botify::sim {

Episode::Episode(Simulator& sim, std::uint64_t index)
    : sim_(&sim), rng_(Rng::ForStream(sim.options().seed, index)) {
  const auto& users = sim.world().users;
  user_ = &users[rng_.Uniform(users.size())];
  interest_ = user_->interests[rng_.Uniform(user_->interests.size())];
  const auto nearest = sim.neighbours().Nearest(interest_);
  const std::size_t k = std::min<std::size_t>(user_->interest_neighbours, nearest.size());
  last_track_ = nearest[rng_.Uniform(k)];
  budget_ = user_->session_budget;
  played_.push_back(last_track_);
  CountArtistPlay(sim.world().catalog.artist_of(last_track_));
  result_.index = index;
  result_.user = user_->user;
  result_.interest = interest_;
}

bool Episode::Played(TrackId track) const {
  return std::find(played_.begin(), played_.end(), track) != played_.end();
}

int Episode::ArtistPlays(ArtistId artist) const {
  for (const auto& [a, n] : artist_plays_) {
    if (a == artist) return n;
  }
  return 0;
}

int Episode::CountArtistPlay(ArtistId artist) {
  for (auto& [a, n] : artist_plays_) {
    if (a == artist) return n++;
  }
  artist_plays_.emplace_back(artist, 1);
  return 0;
}

double Episode::Listen(TrackId track) {
  const bool repeat = Played(track);
  // Every recommendation is a play of its artist, a repeat (listened 0) included.
  const int k = CountArtistPlay(sim_->world().catalog.artist_of(track));
  double time = 0.0;
  if (!repeat) {
    played_.push_back(track);
    time = ListenTime(Dot(sim_->world().embeddings.row(track), embedding()), *user_, k,
                      sim_->AppealOffset(track, result_.index));
  }
  if (rng_.UniformDouble() > time) --budget_;
  last_track_ = track;
  last_time_ = time;
  result_.reward += time;
  ++result_.steps;
  if (result_.steps >= sim_->options().max_steps && budget_ > 0) result_.truncated = true;
  return time;
}

}  // namespace botify::sim
