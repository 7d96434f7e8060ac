#include "engine/serving/session_aware_recommender.h"

#include <algorithm>
#include <array>

#include "engine/serving/random_unseen.h"

namespace botify::serving {

bool SessionAwareRecommender::Scan(std::span<const TrackId> list, const SessionState* session,
                                   Pick* best) const {
  if (limit_ > 0 && list.size() > limit_) list = list.first(limit_);
  for (const TrackId candidate : list) {
    // Lists are validated against the catalog when built; this guards a catalog that
    // shrank since, so "always a valid catalog track" holds regardless.
    if (!catalog_.Contains(candidate)) continue;
    if (session == nullptr) {
      best->track = candidate;
      best->artist_plays = 0;
      return true;
    }
    if (session->Seen(candidate)) continue;
    const std::uint32_t plays = session->ArtistPlays(catalog_.artist_of(candidate));
    if (plays < best->artist_plays) {
      best->track = candidate;
      best->artist_plays = plays;
      if (plays == 0) return true;
    }
  }
  return false;
}

TrackId SessionAwareRecommender::Recommend(const RecommendRequest& request,
                                           RecommendContext& ctx) const {
  const SessionState* session = request.session;
  std::array<std::uint32_t, 3> keys{};
  std::size_t key_count = 0;
  auto add_key = [&](std::uint32_t key) {
    if (std::find(keys.begin(), keys.begin() + key_count, key) == keys.begin() + key_count) {
      keys[key_count++] = key;
    }
  };
  switch (key_) {
    case Key::kUser:
      add_key(request.user);
      break;
    case Key::kRanking:
      add_key(0);
      break;
    case Key::kPreviousTrack:
      if (session != nullptr) {
        add_key(session->first_track());
        add_key(session->best_track());
      }
      add_key(request.track);
      break;
  }
  Pick best;
  if (auto index = slot_->Load()) {
    for (std::size_t i = 0; i < key_count; ++i) {
      if (index->Get(keys[i], &ctx.scratch) && Scan(ctx.scratch, session, &best)) break;
    }
  }
  return best.found() ? best.track : RandomUnseenTrack(catalog_, session, ctx.rng);
}

std::string SessionAwareRecommender::Describe() const {
  switch (key_) {
    case Key::kUser:
      return "session:indexed(" + index_name_ + ")";
    case Key::kPreviousTrack:
      return "session:contextual(" + index_name_ + ")";
    case Key::kRanking:
      return "session:toppop(" + index_name_ + ", " + std::to_string(limit_) + ")";
  }
  return "session:" + index_name_;
}

}  // namespace botify::serving
