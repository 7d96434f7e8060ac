#include "tools/ab/arm_recommenders.h"

#include <fmt/format.h>

#include <vector>

#include "engine/serving/routing_config.h"

namespace botify::tools {

Result<ExperimentArms> LoadExperimentArms(const std::string& config_path,
                                          const std::string& experiment) {
  auto config = serving::RoutingConfig::Load(config_path);
  if (!config.ok()) return config.status().WithContext("--config");
  std::vector<std::string> names;
  for (const serving::ExperimentSpec& e : config->experiments) {
    if (e.name != experiment) {
      names.push_back(e.name);
      continue;
    }
    ExperimentArms arms;
    arms.split = e.split;
    const std::string fallback = config->default_recommender.ToString() + " (default)";
    for (int arm = 0; arm < e.split; ++arm) {
      const auto index = static_cast<std::size_t>(arm);
      arms.recommenders[index] =
          index < e.arms.size() && e.arms[index] ? e.arms[index]->ToString() : fallback;
    }
    return arms;
  }
  return Status::NotFound(
      fmt::format("--config {} has no experiment '{}' (it has: {})", config_path, experiment,
                  names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

}  // namespace botify::tools
