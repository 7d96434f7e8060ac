// The runtime form of a RoutingConfig: experiments ready to assign users, and the
// recommender of every arm of the routing experiment. A config reload builds a new
// Routing and swaps it in whole.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "engine/catalog/catalog.h"
#include "engine/eventlog/event.h"
#include "engine/serving/experiment.h"
#include "engine/serving/recommender.h"
#include "engine/serving/routing_config.h"
#include "engine/serving/track_list_index.h"

namespace botify::serving {

// Thread-safe: immutable after Build. `catalog` and `indexes` must outlive it.
class Routing {
 public:
  static Result<std::unique_ptr<Routing>> Build(const RoutingConfig& config,
                                                const catalog::Catalog& catalog,
                                                IndexRegistry& indexes);

  struct Decision {
    const Recommender* recommender;
    int routed_arm;  // arm of the routing experiment, -1 if none routes
  };

  // Routes `user`, and writes the arms of every logged experiment to `logged`, which must
  // have room for logged_count() entries. Costs one hash per experiment; no allocation.
  Decision Route(UserId user, std::span<eventlog::LoggedArm> logged) const;

  std::size_t logged_count() const { return logged_.size(); }
  const RoutingConfig& config() const { return config_; }
  const std::vector<Experiment>& experiments() const { return experiments_; }

 private:
  Routing() = default;

  RoutingConfig config_;
  std::vector<Experiment> experiments_;
  std::vector<std::size_t> logged_;  // indices into experiments_
  int routing_ = -1;                 // index into experiments_
  std::vector<std::unique_ptr<Recommender>> owned_;
  std::vector<const Recommender*> arm_recommenders_;  // by arm of the routing experiment
  const Recommender* default_ = nullptr;
};

}  // namespace botify::serving
