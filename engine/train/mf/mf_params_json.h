// The hyperparameters of MfOptions as a JSON object, as `botify train search` writes its
// best.json and `botify train mf --params` reads it:
//   {"loss": "warp", "no_components": 30, "learning_rate": 0.01, "max_sampled": 20,
//    "user_alpha": 0, "item_alpha": 0.0001, "schedule": "adagrad"}
// Reading also accepts "rho" and "epsilon", ignores a "search" object (the search's own
// record of how the parameters scored), and rejects any other key by name.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/train/mf/mf_options.h"

namespace botify::train::mf {

// The object above for `options` (no trailing newline).
std::string MfParamsToJson(const MfOptions& options);

// Overwrites the fields named in `json`; errors name the key and the value.
Status ApplyMfParamsJson(std::string_view json, MfOptions* options);

}  // namespace botify::train::mf
