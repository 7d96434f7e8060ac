// A trained contextual model: per track a context and a target embedding whose dot
// product (plus the target's bias) scores how long the target is listened to in a
// session that started with the context track.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "base/ids.h"

namespace botify::train::contextual {

// Thread-compatible value type; safe to read from many threads once built.
struct ContextualModel {
  std::size_t tracks = 0;  // ids 0 .. tracks-1
  std::size_t dim = 0;
  std::vector<float> context;       // tracks x dim, row-major
  std::vector<float> target;        // tracks x dim, row-major
  std::vector<float> target_bias;   // tracks
  std::vector<float> context_bias;  // tracks (does not change a context's ranking)
  float mean_time = 0;              // global offset of the predicted time
  // Tracks that occur as a target of at least one training pair: the only candidates
  // of the lists (an unseen track keeps its random initial vector).
  std::vector<bool> seen_target;
  // Tracks whose context vector was trained (a context of some pair; with a tied table
  // also any target): the only tracks that get a list.
  std::vector<bool> trained_context;

  std::span<const float> ContextRow(TrackId t) const { return {&context[t * dim], dim}; }
  std::span<const float> TargetRow(TrackId t) const { return {&target[t * dim], dim}; }

  // The ranking score of `target` after `context` (no context bias, no mean).
  float Score(TrackId context_track, TrackId target_track) const;
  // The predicted listen time (the training objective's prediction).
  float PredictTime(TrackId context_track, TrackId target_track) const;
};

}  // namespace botify::train::contextual
