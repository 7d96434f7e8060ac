// Experiments and routing as configuration, not code (docs/contracts.md §4): which experiments
// exist, which one routes /next to a recommender per arm, which are written to the event log. A
// JSON file, e.g.
//
//   {
//     "experiments": [
//       {"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}},
//       {"name": "AA", "split": 2, "log": true}
//     ],
//     "routing": "USER_BASED",
//     "default": "random"
//   }
//
// Recommender specs: "random", "sticky_artist", "indexed:NAME", "contextual:NAME",
// "toppop[:NAME[:N]]" (index "top", N 100 by default), and the session-aware twins of the
// list kinds, "session:indexed:NAME", "session:contextual:NAME", "session:toppop[...]"
// (engine/serving/session_aware_recommender.h), and "session_model:NAME", a learned model
// of the session (engine/serving/session_model_recommender.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace botify::serving {

struct RecommenderSpec {
  enum class Kind { kRandom, kStickyArtist, kIndexed, kContextual, kTopPop, kSessionModel };
  Kind kind = Kind::kRandom;
  std::string index;           // for kIndexed, kContextual, kTopPop, kSessionModel
  std::size_t top_n = 100;     // for kTopPop
  bool session_aware = false;  // the "session:" twin (kIndexed, kContextual, kTopPop only)

  static Result<RecommenderSpec> Parse(const std::string& text);
  std::string ToString() const;
};

struct ExperimentSpec {
  std::string name;
  int split = 2;
  bool log = true;  // write this experiment's arm into every event
  // Recommender of each arm (index = arm number); nullopt -> the default recommender.
  std::vector<std::optional<RecommenderSpec>> arms;
};

struct RoutingConfig {
  std::vector<ExperimentSpec> experiments;
  std::optional<std::string> routing;  // name of the experiment that routes /next
  RecommenderSpec default_recommender;

  // Parses and validates (names unique and well-formed, splits in [2, 9], arm names valid
  // for the split, routing names an experiment with arms). Errors name the field.
  static Result<RoutingConfig> Parse(const std::string& json_text);
  static Result<RoutingConfig> Load(const std::string& path);
  // The built-in config when none is given: everyone gets `random`, no experiments.
  static RoutingConfig Default() { return {}; }
};

}  // namespace botify::serving
