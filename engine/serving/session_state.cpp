#include "engine/serving/session_state.h"

#include <algorithm>

namespace botify::serving {

void SessionState::RecordPlayed(TrackId track, double time, ArtistId artist) {
  // The first /next of a session carries the first track itself; later ones carry the
  // previous recommendation, which is already remembered.
  Remember(track);
  if (plays_ > 0 && time >= best_time_) {
    best_time_ = time;
    best_track_ = track;
  }
  ++plays_;
  if (artists_.size() < max_tracks_ || artists_.Get(artist) > 0) artists_.Increment(artist);
}

std::span<float> SessionState::ModelState(std::uint64_t tag, std::size_t size, bool* fresh) {
  *fresh = tag != model_tag_ || model_state_.size() != size;
  if (*fresh) {
    model_tag_ = tag;
    model_state_.assign(size, 0.0f);
  }
  return model_state_;
}

std::size_t SessionState::Bytes() const {
  return sizeof(*this) + seen_.Bytes() + artists_.Bytes() + model_state_.capacity() * sizeof(float);
}

}  // namespace botify::serving
