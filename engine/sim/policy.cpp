#include "engine/sim/policy.h"

#include <algorithm>
#include <string>

#include "engine/sim/listen_time.h"

namespace botify::sim {
namespace {

class RandomPolicy : public Policy {
 public:
  explicit RandomPolicy(Simulator& sim) : tracks_(sim.track_count()) {}
  TrackId Recommend(const Episode&, Rng& rng) override {
    return static_cast<TrackId>(rng.Uniform(tracks_));
  }

 private:
  const std::size_t tracks_;
};

class OraclePolicy : public Policy {
 public:
  explicit OraclePolicy(Simulator& sim) : sim_(sim) {}
  TrackId Recommend(const Episode& episode, Rng& rng) override {
    for (TrackId t : sim_.neighbours().Nearest(episode.interest())) {
      if (!episode.Played(t)) return t;
    }
    // The cached list is exhausted (a very long session): any track will do.
    return static_cast<TrackId>(rng.Uniform(sim_.track_count()));
  }

 private:
  Simulator& sim_;
};

class ArtistOraclePolicy : public Policy {
 public:
  ArtistOraclePolicy(Simulator& sim, std::size_t depth) : sim_(sim), depth_(depth) {}
  TrackId Recommend(const Episode& episode, Rng& rng) override {
    const auto nearest = sim_.neighbours().Nearest(episode.interest());
    const std::size_t n = std::min(depth_, nearest.size());
    const world::World& world = sim_.world();
    double best_time = -1.0;
    TrackId best = 0;
    for (std::size_t c = 0; c < n; ++c) {
      const TrackId t = nearest[c];
      if (episode.Played(t)) continue;
      const double dot = Dot(world.embeddings.row(t), episode.embedding());
      const int k = episode.ArtistPlays(world.catalog.artist_of(t));
      const double time = ListenTime(dot, episode.user(), k);
      if (time > best_time) {  // ties: the nearer track
        best_time = time;
        best = t;
      }
    }
    if (best_time >= 0.0) return best;
    return static_cast<TrackId>(rng.Uniform(sim_.track_count()));
  }

 private:
  Simulator& sim_;
  const std::size_t depth_;
};

class HistoryPolicy : public Policy {
 public:
  HistoryPolicy(Simulator& sim, std::size_t depth) : sim_(sim), depth_(depth) {}
  TrackId Recommend(const Episode& episode, Rng& rng) override {
    const auto& interests = episode.user().interests;
    TrackId pick = 0;
    // A few tries to find an unplayed track; a server sees the session's requests too.
    for (int attempt = 0; attempt < 8; ++attempt) {
      const auto nearest = sim_.neighbours().Nearest(interests[rng.Uniform(interests.size())]);
      pick = nearest[rng.Uniform(std::min(depth_, nearest.size()))];
      if (!episode.Played(pick)) break;
    }
    return pick;
  }

 private:
  Simulator& sim_;
  const std::size_t depth_;
};

}  // namespace

Result<std::unique_ptr<Policy>> MakePolicy(std::string_view name, Simulator& sim,
                                           const PolicyOptions& options) {
  if (name == "random") return std::unique_ptr<Policy>(new RandomPolicy(sim));
  if (name == "oracle") return std::unique_ptr<Policy>(new OraclePolicy(sim));
  if (name == "artist_oracle") {
    if (options.artist_oracle_depth == 0) {
      return Status::InvalidArgument("artist_oracle_depth must be >= 1");
    }
    return std::unique_ptr<Policy>(new ArtistOraclePolicy(sim, options.artist_oracle_depth));
  }
  if (name == "history") {
    if (options.history_depth == 0) return Status::InvalidArgument("history_depth must be >= 1");
    return std::unique_ptr<Policy>(new HistoryPolicy(sim, options.history_depth));
  }
  return Status::InvalidArgument("unknown in-process policy '" + std::string(name) +
                                 "' (expected random, oracle, artist_oracle or history)");
}

}  // namespace botify::sim
