#pragma once

#include <memory>

#include "engine/catalog/catalog.h"
#include "engine/serving/recommender.h"
#include "engine/serving/routing_config.h"
#include "engine/serving/track_list_index.h"

namespace botify::serving {

// Builds the recommender a spec names. `catalog` and `indexes` must outlive the result;
// index slots are created on demand (an index not loaded yet serves the fallback).
std::unique_ptr<Recommender> MakeRecommender(const RecommenderSpec& spec,
                                             const catalog::Catalog& catalog,
                                             IndexRegistry& indexes);

}  // namespace botify::serving
