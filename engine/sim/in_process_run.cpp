#include "engine/sim/in_process_run.h"

namespace botify::sim {

Rng PolicyRng(std::uint64_t seed, std::uint64_t index) {
  constexpr std::uint64_t kPolicySalt = 0x5bd1e9955bd1e995ULL;
  return Rng::ForStream(seed ^ kPolicySalt, index);
}

std::vector<EpisodeResult> RunInProcess(Simulator& sim, Policy& policy, std::uint64_t first,
                                        std::uint64_t count,
                                        const std::function<void(std::uint64_t)>& progress) {
  std::vector<EpisodeResult> results;
  results.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    Episode episode(sim, first + i);
    Rng rng = PolicyRng(sim.options().seed, first + i);
    while (!episode.done()) episode.Listen(policy.Recommend(episode, rng));
    results.push_back(episode.result());
    if (progress && ((i + 1) % 256 == 0 || i + 1 == count)) progress(i + 1);
  }
  return results;
}

}  // namespace botify::sim
