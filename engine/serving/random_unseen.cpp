#include "engine/serving/random_unseen.h"

namespace botify::serving {
namespace {
// Random draws before falling back to a scan: a session remembers at most a few thousand
// tracks, so with a catalog of any real size a draw is almost never seen.
constexpr int kRandomDraws = 32;
}  // namespace

TrackId RandomUnseenTrack(const catalog::Catalog& catalog, const SessionState* session, Rng& rng) {
  const std::size_t n = catalog.size();
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

}  // namespace botify::serving
