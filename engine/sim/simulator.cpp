#include "engine/sim/simulator.h"

#include <algorithm>

namespace botify::sim {

Status SimulatorOptions::Validate() const {
  if (max_steps == 0) return Status::InvalidArgument("max_steps must be at least 1");
  if (neighbour_depth == 0) return Status::InvalidArgument("neighbour_depth must be at least 1");
  if (episodes_per_day == 0) return Status::InvalidArgument("episodes_per_day must be at least 1");
  return Status::Ok();
}

std::size_t Simulator::Depth(const world::World& world, const SimulatorOptions& options) {
  std::size_t depth = options.neighbour_depth;
  for (const world::User& u : world.users) {
    depth = std::max(depth, static_cast<std::size_t>(u.interest_neighbours));
  }
  return depth;
}

std::vector<TrackId> Simulator::Interests(const world::World& world) {
  std::vector<TrackId> interests;
  for (const world::User& u : world.users) {
    interests.insert(interests.end(), u.interests.begin(), u.interests.end());
  }
  return interests;
}

Simulator::Simulator(const world::World& world, const SimulatorOptions& options,
                     const world::AppealDrift* drift)
    : world_(world),
      options_(options),
      neighbours_(world.embeddings, Depth(world, options), Interests(world)),
      drift_(drift) {}

}  // namespace botify::sim
