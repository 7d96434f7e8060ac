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

// An index a config's recommender reads, and where in the config it is named.
struct IndexReference {
  std::string where;       // "experiments[0] (USER_BASED) arm T1" or "default"
  std::string experiment;  // "USER_BASED"; "" for the default
  std::string arm;         // "T1"; "default" for the default
  std::string spec;        // the recommender, "indexed:ub"
  std::string index;       // "ub"
};

struct RoutingConfig {
  // Bounds, so that a config cannot make every request slow or every log line huge: each
  // experiment costs one MurmurHash3 per request and, if logged, its name and arm in every
  // event line (at most 32 x ~75 bytes). Arms are bounded by the split (at most 9 each,
  // so at most 288 in all).
  static constexpr std::size_t kMaxExperiments = 32;
  // Bytes of config text; a config within the bounds above is a few KiB.
  static constexpr std::size_t kMaxBytes = 1 << 20;

  std::vector<ExperimentSpec> experiments;
  std::optional<std::string> routing;  // name of the experiment that routes /next
  RecommenderSpec default_recommender;

  // Parses and validates (at most kMaxBytes and kMaxExperiments, names unique and
  // well-formed, splits in [2, 9], arm names valid for the split, routing names an
  // experiment with arms). Errors name the field.
  static Result<RoutingConfig> Parse(const std::string& json_text);
  static Result<RoutingConfig> Load(const std::string& path);
  // The built-in config when none is given: everyone gets `random`, no experiments.
  static RoutingConfig Default() { return {}; }

  // Every index the config's recommenders read, in config order (each experiment's arms,
  // then the default). An arm without a recommender of its own uses the default and is
  // listed under "default" only.
  std::vector<IndexReference> IndexReferences() const;
};

}  // namespace botify::serving
