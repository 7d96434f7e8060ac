#include "engine/ab/ab_options.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/eventlog/event.h"

namespace botify::ab {

Status AbOptions::Validate() const {
  if (experiment.empty()) return Status::InvalidArgument("experiment name is empty");
  if (!(alpha > 0 && alpha < 1)) {
    return Status::InvalidArgument(fmt::format("alpha {} is outside (0, 1)", alpha));
  }
  if (split != 0 && (split < 2 || split > eventlog::kMaxArms)) {
    return Status::InvalidArgument(fmt::format(
        "split {} is outside [2, {}] (or 0 for the arms seen)", split, eventlog::kMaxArms));
  }
  if (!(srm_threshold > 0 && srm_threshold < 1)) {
    return Status::InvalidArgument(
        fmt::format("SRM threshold {} is outside (0, 1)", srm_threshold));
  }
  if (!(mixing_sd > 0 && std::isfinite(mixing_sd))) {
    return Status::InvalidArgument(
        fmt::format("mSPRT mixing standard deviation {} is not a positive number", mixing_sd));
  }
  return Status::Ok();
}

}  // namespace botify::ab
