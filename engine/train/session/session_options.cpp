#include "engine/train/session/session_options.h"

#include <fmt/format.h>

#include <cmath>

namespace botify::train::session {

Status SessionTrainOptions::Validate() const {
  if (dim == 0 || dim > serving::kMaxSessionModelDim) {
    return Status::InvalidArgument(
        fmt::format("dim must be in [1, {}], got {}", serving::kMaxSessionModelDim, dim));
  }
  if (!(first_weight > 0) || !std::isfinite(first_weight)) {
    return Status::InvalidArgument(fmt::format("first weight must be > 0, got {}", first_weight));
  }
  if (!(like_threshold > 0 && like_threshold < 1)) {
    return Status::InvalidArgument(
        fmt::format("like threshold must be in (0, 1), got {}", like_threshold));
  }
  if (!(like_weight >= 0) || !std::isfinite(like_weight) || !(skip_weight >= 0) ||
      !std::isfinite(skip_weight)) {
    return Status::InvalidArgument(fmt::format(
        "like and skip weights must be finite and >= 0, got {} and {}", like_weight, skip_weight));
  }
  if (!(surprise_weight >= 0) || !std::isfinite(surprise_weight)) {
    return Status::InvalidArgument(
        fmt::format("surprise weight must be finite and >= 0, got {}", surprise_weight));
  }
  if (list_depth == 0) return Status::InvalidArgument("list depth must be >= 1");
  if (rank_depth < list_depth) {
    return Status::InvalidArgument(fmt::format(
        "rank depth must be at least the list depth ({}), got {}", list_depth, rank_depth));
  }
  if (epochs == 0) return Status::InvalidArgument("epochs must be >= 1");
  if (!(learning_rate > 0) || !std::isfinite(learning_rate)) {
    return Status::InvalidArgument(fmt::format("learning rate must be > 0, got {}", learning_rate));
  }
  if (!(l2 >= 0) || !(artist_l2 >= 0) || !std::isfinite(l2) || !std::isfinite(artist_l2)) {
    return Status::InvalidArgument("l2 penalties must be finite and >= 0");
  }
  if (!(init_scale > 0) || !std::isfinite(init_scale)) {
    return Status::InvalidArgument(fmt::format("init scale must be > 0, got {}", init_scale));
  }
  return Status::Ok();
}

std::array<float, serving::kTimeSteps> SessionTrainOptions::TimeWeights() const {
  std::array<float, serving::kTimeSteps> w{};
  for (std::size_t i = 0; i < w.size(); ++i) {
    const float time = static_cast<float>(i) / 100.0f;
    w[i] = time >= like_threshold ? like_weight * (time - like_threshold) / (1 - like_threshold)
                                  : -skip_weight * (like_threshold - time) / like_threshold;
  }
  return w;
}

}  // namespace botify::train::session
