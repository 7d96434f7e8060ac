// Per-user lists from a session model's candidate lists, for the plain `indexed:NAME` arm
// (a uniform pick from the user's list, docs/contracts.md §5): every listener's list
// interleaves the candidates of the tracks that started their sessions in the logs.
//
// A session's first track is the listener's own choice and sits among the nearest tracks
// of the taste the session follows (docs/contracts.md §8), so a user's session starts name
// their tastes; the model's candidates after each start are what a session of that taste
// listens to longest. The list takes from the starts in turn (round robin, in the order
// the sessions were played), each start first, then its candidates in rank order; the
// first pass admits one track per artist (the listener discounts a repeated artist), a
// second fills up in the same order.
#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "engine/train/session/listening_sessions.h"

namespace botify::train::session {

struct UserListOptions {
  // Tracks per user (fewer if the starts' candidates run out). The uniform pick repeats a
  // track the more often the shorter the list.
  std::size_t length = 100;
  Status Validate() const;
};

// (user, list) for every user with a session, ascending by user. `candidates[t]` is track
// t's ranked candidate list (may be empty); `artist_of` has an artist per track; every
// session track is below both sizes.
std::vector<std::pair<UserId, std::vector<TrackId>>> BuildUserLists(
    const ListeningSessions& sessions, const std::vector<std::vector<TrackId>>& candidates,
    std::span<const ArtistId> artist_of, const UserListOptions& options);

}  // namespace botify::train::session
