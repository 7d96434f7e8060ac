#include "engine/train/contextual/contextual_model.h"

namespace botify::train::contextual {

float ContextualModel::Score(TrackId context_track, TrackId target_track) const {
  const float* c = &context[context_track * dim];
  const float* t = &target[target_track * dim];
  // Same order of additions as the top-k search, so scores compare bit for bit.
  float score = target_bias[target_track];
  for (std::size_t d = 0; d < dim; ++d) score += c[d] * t[d];
  return score;
}

float ContextualModel::PredictTime(TrackId context_track, TrackId target_track) const {
  return Score(context_track, target_track) + context_bias[context_track] + mean_time;
}

}  // namespace botify::train::contextual
