#include "engine/train/session/user_lists.h"

#include <catch2/catch.hpp>

using namespace botify;
using namespace botify::train::session;

namespace {

// Appends a session of `user` starting at `first` (later plays do not matter here).
void AddSession(ListeningSessions* s, UserId user, TrackId first) {
  s->tracks.push_back(first);
  s->times.push_back(1.0f);
  s->tracks.push_back(first + 1);
  s->times.push_back(0.5f);
  s->offsets.push_back(s->tracks.size());
  s->users.push_back(user);
}

}  // namespace

TEST_CASE(
    "user lists interleave the candidates of the user's session starts, one track per "
    "artist first",
    "[engine][session]") {
  // 20 tracks, track t by artist t / 2 (0 and 1 share artist 0, ...).
  std::vector<ArtistId> artist_of(20);
  for (TrackId t = 0; t < 20; ++t) artist_of[t] = t / 2;
  std::vector<std::vector<TrackId>> candidates(20);
  candidates[2] = {3, 4, 6};     // 3 shares 2's artist
  candidates[10] = {11, 12, 4};  // 4 also after 2
  ListeningSessions s;
  AddSession(&s, 5, 2);
  AddSession(&s, 5, 10);
  AddSession(&s, 5, 2);   // a start seen again adds nothing
  AddSession(&s, 9, 17);  // no candidates: the start alone
  const auto lists = BuildUserLists(s, candidates, artist_of, {});
  REQUIRE(lists.size() == 2);
  CHECK(lists[0].first == 5);
  // Round robin: 2, 10, then 4 (3 shares 2's artist), 12 (11 shares 10's), 6; the second
  // pass adds 3 and 11.
  CHECK(lists[0].second == std::vector<TrackId>{2, 10, 4, 12, 6, 3, 11});
  CHECK(lists[1] == std::pair<UserId, std::vector<TrackId>>{9, {17}});
  UserListOptions short_lists;
  short_lists.length = 3;
  CHECK(BuildUserLists(s, candidates, artist_of, short_lists)[0].second ==
        std::vector<TrackId>{2, 10, 4});
  short_lists.length = 0;
  CHECK_FALSE(short_lists.Validate().ok());
}
