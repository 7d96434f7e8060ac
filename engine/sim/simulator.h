// The user simulator's shared, read-only state: the world, per-track artists and the
// cached neighbour search. Episodes (engine/sim/episode.h) run against it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/status.h"
#include "engine/sim/neighbour_index.h"
#include "engine/world/world.h"

namespace botify::sim {

struct SimulatorOptions {
  // Seed of the run; episode i draws from Rng::ForStream(seed, i) only.
  std::uint64_t seed = 0;
  // Safety bound, not in SPEC §8: an episode that reaches this many recommendations ends
  // (and is flagged truncated) so that a recommender that never disappoints cannot hang a
  // run. High enough never to bind on the default world with the built-in policies.
  std::uint32_t max_steps = 10000;
  // Depth of the cached neighbour lists (the oracle walks them); raised to the largest
  // interest_neighbours of any user.
  std::size_t neighbour_depth = 256;

  Status Validate() const;
};

// Thread-safe (the neighbour cache locks internally). `world` must outlive it.
class Simulator {
 public:
  Simulator(const World& world, const SimulatorOptions& options);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  const World& world() const { return world_; }
  const SimulatorOptions& options() const { return options_; }
  std::size_t track_count() const { return world_.catalog.size(); }
  NeighbourIndex& neighbours() { return neighbours_; }

 private:
  static std::size_t Depth(const World& world, const SimulatorOptions& options);

  const World& world_;
  const SimulatorOptions options_;
  NeighbourIndex neighbours_;
};

}  // namespace botify::sim
