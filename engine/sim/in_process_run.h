// Runs episodes against an in-process policy, with no server.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/sim/episode.h"
#include "engine/sim/policy.h"

namespace botify::sim {

// Runs episodes [first, first + count) in order on the calling thread; results are in
// index order and depend only on (seed, index, policy). `progress`, if set, is called
// with the number of finished episodes every 256 episodes and at the end.
std::vector<EpisodeResult> RunInProcess(Simulator& sim, Policy& policy, std::uint64_t first,
                                        std::uint64_t count,
                                        const std::function<void(std::uint64_t)>& progress = {});

// The policy's random stream for episode `index`: independent of the user's stream.
Rng PolicyRng(std::uint64_t seed, std::uint64_t index);

}  // namespace botify::sim
