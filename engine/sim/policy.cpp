#include "engine/sim/policy.h"

#include <algorithm>
#include <string>

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
  if (name == "history") {
    if (options.history_depth == 0) return Status::InvalidArgument("history_depth must be >= 1");
    return std::unique_ptr<Policy>(new HistoryPolicy(sim, options.history_depth));
  }
  return Status::InvalidArgument("unknown in-process policy '" + std::string(name) +
                                 "' (expected random, oracle or history)");
}

}  // namespace botify::sim
