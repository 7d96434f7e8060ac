#include "engine/train/contextual/session_pairs.h"

#include <algorithm>

namespace botify::train::contextual {

std::vector<ContextPair> SessionPairBuilder::Finish(SessionPairStats* stats) {
  SessionPairStats local;
  if (stats == nullptr) stats = &local;
  *stats = SessionPairStats{};
  session::ListeningSessionStats read;
  const session::ListeningSessions sessions = sessions_.Finish(&read);
  stats->rows = read.rows;
  stats->users = read.users;
  stats->sessions = read.sessions;
  stats->rows_after_last = read.rows_after_last;
  stats->max_track = read.max_track;
  std::vector<ContextPair> pairs;
  std::vector<TrackId> played;  // tracks of the session so far (sessions are short)
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const auto tracks = sessions.Tracks(s);
    const auto times = sessions.Times(s);
    played.assign(1, tracks[0]);
    for (std::size_t i = 1; i < tracks.size(); ++i) {
      if (tracks[i] == tracks[0]) {
        ++stats->self_targets;
      } else if (std::find(played.begin(), played.end(), tracks[i]) != played.end()) {
        ++stats->repeated_targets;
      } else {
        pairs.push_back(ContextPair{tracks[0], tracks[i], times[i]});
      }
      played.push_back(tracks[i]);
    }
  }
  stats->pairs = pairs.size();
  return pairs;
}

}  // namespace botify::train::contextual
