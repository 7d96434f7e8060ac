// In-process recommenders for the simulator: the reference points that calibrate the
// world and test the driver without a server (`botify sim --in-process NAME`).
//   random   uniform over the catalog (the server's Random recommender)
//   oracle   the nearest unplayed track to the session embedding (knows the hidden
//            interest: an upper reference, not a realisable recommender)
//   artist_oracle  also knows the user and the listen-time model: among the nearest
//            unplayed tracks to the session embedding (the first `artist_oracle_depth`
//            of the cached neighbour list) the one with the highest expected listen time
//            sigmoid((dot - consume_bias) * consume_sharpness) * gamma^k, k being how
//            often its artist already played this session. Greedy: it maximises the next
//            listen time, which is also the chance that the budget survives the step.
//   history  knows each user's interests (their past listening) but not which one this
//            session follows: a random unplayed track among the nearest neighbours of a
//            random interest of the user
#pragma once

#include <memory>
#include <string_view>

#include "base/random.h"
#include "base/status.h"
#include "engine/sim/episode.h"

namespace botify::sim {

// Thread-safe: implementations keep no per-call state.
class Policy {
 public:
  virtual ~Policy() = default;
  // Returns a catalog track for the episode's next step. `rng` is the policy's own
  // stream for this episode, so the user's draws do not depend on the policy's.
  virtual TrackId Recommend(const Episode& episode, Rng& rng) = 0;
};

struct PolicyOptions {
  // history: how many nearest neighbours of an interest it chooses from.
  std::size_t history_depth = 100;
  // artist_oracle: how many nearest neighbours of the session embedding it weighs (at
  // most the simulator's neighbour depth). Default 256: deep enough to reach a new artist
  // when the nearest ones are discounted; cost per step linear in it.
  std::size_t artist_oracle_depth = 256;
};

// "random", "oracle", "artist_oracle" or "history"; `sim` must outlive the policy.
Result<std::unique_ptr<Policy>> MakePolicy(std::string_view name, Simulator& sim,
                                           const PolicyOptions& options = {});

}  // namespace botify::sim
