// `botify ab --config ROUTING.json`: which recommender served each arm of the analysed
// experiment, read from the routing config that was pushed for it (docs/contracts.md §4).
#pragma once

#include <array>
#include <string>

#include "base/status.h"
#include "engine/eventlog/event.h"

namespace botify::tools {

struct ExperimentArms {
  int split = 2;
  // Per arm below the split: the recommender spec ("indexed:ub"); an arm the config leaves to
  // the default recommender reads "random (default)". Empty beyond the split.
  std::array<std::string, eventlog::kMaxArms> recommenders;
};

// Errors name the file: unreadable or invalid config (RoutingConfig::Load), or no experiment
// `experiment` in it (the message lists the ones it has).
Result<ExperimentArms> LoadExperimentArms(const std::string& config_path,
                                          const std::string& experiment);

}  // namespace botify::tools
