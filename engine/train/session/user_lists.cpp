#include "engine/train/session/user_lists.h"

#include <algorithm>
#include <unordered_set>

namespace botify::train::session {
namespace {

// One user's list from their session starts (distinct, in order).
std::vector<TrackId> UserList(const std::vector<TrackId>& starts,
                              const std::vector<std::vector<TrackId>>& candidates,
                              std::span<const ArtistId> artist_of, std::size_t length) {
  std::vector<TrackId> list;
  std::unordered_set<TrackId> taken;
  std::unordered_set<ArtistId> artists;
  for (const bool one_per_artist : {true, false}) {
    std::vector<std::size_t> next(starts.size(), 0);  // 0 = the start itself, i = candidate i-1
    bool progressed = true;
    while (list.size() < length && progressed) {
      progressed = false;
      for (std::size_t s = 0; s < starts.size() && list.size() < length; ++s) {
        const auto& own = candidates[starts[s]];
        while (next[s] <= own.size()) {
          const TrackId t = next[s] == 0 ? starts[s] : own[next[s] - 1];
          ++next[s];
          if (taken.count(t) || (one_per_artist && artists.count(artist_of[t]))) continue;
          taken.insert(t);
          artists.insert(artist_of[t]);
          list.push_back(t);
          progressed = true;
          break;
        }
      }
    }
  }
  return list;
}

}  // namespace

Status UserListOptions::Validate() const {
  if (length == 0) return Status::InvalidArgument("user list length must be >= 1");
  return Status::Ok();
}

std::vector<std::pair<UserId, std::vector<TrackId>>> BuildUserLists(
    const ListeningSessions& sessions, const std::vector<std::vector<TrackId>>& candidates,
    std::span<const ArtistId> artist_of, const UserListOptions& options) {
  std::vector<std::pair<UserId, std::vector<TrackId>>> out;
  std::vector<TrackId> starts;
  // Sessions come ordered by user: one user's run at a time.
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const TrackId start = sessions.Tracks(s)[0];
    if (std::find(starts.begin(), starts.end(), start) == starts.end()) starts.push_back(start);
    if (s + 1 == sessions.size() || sessions.users[s + 1] != sessions.users[s]) {
      out.emplace_back(sessions.users[s], UserList(starts, candidates, artist_of, options.length));
      starts.clear();
    }
  }
  return out;
}

}  // namespace botify::train::session
