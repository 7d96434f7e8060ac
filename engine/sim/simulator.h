// The user simulator's shared, read-only state: the world, per-track artists and the
// cached neighbour search (batched over the users' interests). Episodes (engine/sim/episode.h) run
// against it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "engine/sim/neighbour_index.h"
#include "engine/world/appeal_drift.h"
#include "engine/world/world.h"

namespace botify::sim {

struct SimulatorOptions {
  // Seed of the run; episode i draws from Rng::ForStream(seed, i) only.
  std::uint64_t seed = 0;
  // Safety bound, not in docs/contracts.md §8: an episode that reaches this many recommendations
  // ends (and is flagged truncated) so that a recommender that never disappoints cannot hang a run.
  // High enough never to bind on the default world with the built-in policies.
  std::uint32_t max_steps = 10000;
  // Depth of the cached neighbour lists (the oracle walks them); raised to the largest
  // interest_neighbours of any user.
  std::size_t neighbour_depth = 256;
  // Simulated time, read only by a drifting world (engine/world/appeal_drift.h): episode
  // i happens at day i / episodes_per_day (the run's --episodes), so day d covers
  // [d - 1, d) whatever the driver's speed.
  std::uint64_t episodes_per_day = 1000;

  Status Validate() const;
};

// Thread-safe (the neighbour cache locks internally). `world` (and `drift`, if given)
// must outlive it.
class Simulator {
 public:
  // `drift` null: the original's static world (docs/contracts.md §8, exactly).
  Simulator(const world::World& world, const SimulatorOptions& options,
            const world::AppealDrift* drift = nullptr);
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  const world::World& world() const { return world_; }
  const SimulatorOptions& options() const { return options_; }
  std::size_t track_count() const { return world_.catalog.size(); }
  NeighbourIndex& neighbours() { return neighbours_; }
  bool drifting() const { return drift_ != nullptr; }
  // The appeal offset of `track` during episode `episode` (0 without drift).
  double AppealOffset(TrackId track, std::uint64_t episode) const {
    if (drift_ == nullptr) return 0.0;
    return drift_->Offset(
        track, static_cast<double>(episode) / static_cast<double>(options_.episodes_per_day));
  }

 private:
  static std::size_t Depth(const world::World& world, const SimulatorOptions& options);
  // Every user's interests: the tracks the neighbour index is asked for.
  static std::vector<TrackId> Interests(const world::World& world);

  const world::World& world_;
  const SimulatorOptions options_;
  NeighbourIndex neighbours_;
  const world::AppealDrift* drift_;
};

}  // namespace botify::sim
