#include "engine/train/contextual/contextual_options.h"

#include <cmath>
#include <string>

namespace botify::train::contextual {

Status ContextualOptions::Validate() const {
  if (dim == 0 || dim > kMaxDim) {
    return Status::InvalidArgument("dim must be in [1, " + std::to_string(kMaxDim) + "], got " +
                                   std::to_string(dim));
  }
  if (epochs == 0) return Status::InvalidArgument("epochs must be at least 1");
  if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
    return Status::InvalidArgument("learning rate must be > 0, got " +
                                   std::to_string(learning_rate));
  }
  if (!(l2 >= 0) || !std::isfinite(l2)) {
    return Status::InvalidArgument("l2 must be >= 0, got " + std::to_string(l2));
  }
  if (!(artist_l2 >= 0) || !std::isfinite(artist_l2)) {
    return Status::InvalidArgument("artist l2 must be >= 0, got " + std::to_string(artist_l2));
  }
  if (!(negative_weight >= 0) || !std::isfinite(negative_weight)) {
    return Status::InvalidArgument("negative weight must be >= 0, got " +
                                   std::to_string(negative_weight));
  }
  if (!(init_scale > 0) || !std::isfinite(init_scale)) {
    return Status::InvalidArgument("init scale must be > 0, got " + std::to_string(init_scale));
  }
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  return Status::Ok();
}

}  // namespace botify::train::contextual
