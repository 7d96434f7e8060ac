#include "engine/serving/routing.h"

#include "engine/serving/recommender_factory.h"

namespace botify::serving {

Result<std::unique_ptr<Routing>> Routing::Build(const RoutingConfig& config,
                                                const catalog::Catalog& catalog,
                                                IndexRegistry& indexes) {
  std::unique_ptr<Routing> r(new Routing());
  r->config_ = config;
  r->owned_.push_back(MakeRecommender(config.default_recommender, catalog, indexes));
  r->default_ = r->owned_.back().get();
  for (std::size_t i = 0; i < config.experiments.size(); ++i) {
    const ExperimentSpec& spec = config.experiments[i];
    auto experiment = Experiment::Create(spec.name, spec.split);
    if (!experiment.ok()) return experiment.status();
    r->experiments_.push_back(std::move(*experiment));
    if (spec.log) r->logged_.push_back(i);
    if (config.routing && *config.routing == spec.name) {
      r->routing_ = static_cast<int>(i);
      for (const auto& arm : spec.arms) {
        if (arm) {
          r->owned_.push_back(MakeRecommender(*arm, catalog, indexes));
          r->arm_recommenders_.push_back(r->owned_.back().get());
        } else {
          r->arm_recommenders_.push_back(r->default_);
        }
      }
    }
  }
  return r;
}

Routing::Decision Routing::Route(UserId user, std::span<eventlog::LoggedArm> logged) const {
  Decision d{default_, -1};
  if (routing_ >= 0) {
    d.routed_arm = experiments_[routing_].Assign(user);
    d.recommender = arm_recommenders_[d.routed_arm];
  }
  for (std::size_t i = 0; i < logged_.size(); ++i) {
    const Experiment& e = experiments_[logged_[i]];
    const int arm = static_cast<int>(logged_[i]) == routing_ ? d.routed_arm : e.Assign(user);
    logged[i] = eventlog::LoggedArm{e.name(), ArmName(arm)};
  }
  return d;
}

}  // namespace botify::serving
