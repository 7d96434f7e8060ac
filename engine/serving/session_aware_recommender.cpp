#include "engine/serving/session_aware_recommender.h"

#include <algorithm>
#include <array>

namespace botify::serving {

namespace {
// Random draws before RandomUnseen falls back to a scan: a session remembers at most a
// few thousand tracks, so with a catalog of any real size a draw is almost never seen.
constexpr int kRandomDraws = 32;
}  // namespace

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

TrackId SessionAwareRecommender::RandomUnseen(const SessionState* session, Rng& rng) const {
  const std::size_t n = catalog_.size();
  TrackId track = static_cast<TrackId>(rng.Uniform(n));
  if (session == nullptr) return track;
  for (int i = 0; i < kRandomDraws && session->Seen(track); ++i) {
    track = static_cast<TrackId>(rng.Uniform(n));
  }
  // A tiny catalog nearly all seen: walk on from the last draw to the next unseen track.
  for (std::size_t step = 0; step < n && session->Seen(track); ++step) {
    track = static_cast<TrackId>((track + 1) % n);
  }
  return track;  // a repeat only if every track was seen
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
  return best.found() ? best.track : RandomUnseen(session, ctx.rng);
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
