#include "engine/serving/session_store.h"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using namespace botify;
using namespace botify::serving;

namespace {

SessionStoreOptions SmallStore(std::size_t budget = 1u << 20, std::size_t shards = 4) {
  SessionStoreOptions o;
  o.memory_budget_bytes = budget;
  o.shards = shards;
  o.idle_timeout_ms = 1000;
  return o;
}

// Plays `track` in `user`'s session at `now_ms`; returns the session's first track.
TrackId Play(SessionStore& store, UserId user, TrackId track, std::int64_t now_ms) {
  return store.WithSession(user, track, now_ms, [&](serving::SessionState& s) {
    s.RecordPlayed(track, 0.5, track % 7);
    return s.first_track();
  });
}

}  // namespace

TEST_CASE("session state remembers tracks, artists and the best-listened track",
          "[engine][session]") {
  serving::SessionState s(/*first_track=*/10, /*max_tracks=*/100);
  s.RecordPlayed(10, 1.0, /*artist=*/1);  // the first /next carries the first track
  s.RecordRecommended(20);
  s.RecordPlayed(20, 0.3, 2);
  s.RecordRecommended(30);
  s.RecordPlayed(30, 0.9, 1);
  s.RecordRecommended(40);
  CHECK(s.first_track() == 10);
  CHECK(s.best_track() == 30);  // the first track's 1.0 is not evidence: it was chosen
  CHECK(s.Seen(10));
  CHECK(s.Seen(40));  // recommended, not played yet
  CHECK_FALSE(s.Seen(50));
  CHECK(s.ArtistPlays(1) == 2);
  CHECK(s.ArtistPlays(2) == 1);
  CHECK(s.ArtistPlays(3) == 0);
  CHECK(s.plays() == 3);
  CHECK(s.seen_count() == 4);
}

TEST_CASE("a session remembers at most max_tracks tracks", "[engine][session]") {
  serving::SessionState s(0, 8);
  for (TrackId t = 0; t < 100; ++t) s.RecordPlayed(t, 0.5, t);
  CHECK(s.seen_count() == 8);
  const std::size_t bytes = s.Bytes();
  for (TrackId t = 100; t < 1000; ++t) s.RecordPlayed(t, 0.5, t);
  CHECK(s.Bytes() == bytes);
}

TEST_CASE("the store keeps one session per user until /last", "[engine][session]") {
  SessionStore store(SmallStore());
  CHECK(Play(store, 1, 100, 0) == 100);
  CHECK(Play(store, 1, 101, 10) == 100);
  CHECK(Play(store, 2, 200, 20) == 200);  // another user, another session
  CHECK(store.Stats().active == 2);
  store.End(1);
  CHECK(store.Stats().active == 1);
  CHECK(store.Stats().ended == 1);
  CHECK(Play(store, 1, 102, 30) == 102);  // a new session starts at the next /next
  store.End(99);                          // no session: a no-op
  CHECK(store.Stats().started == 3);
  CHECK(store.Stats().ended == 1);
}

TEST_CASE("an idle session is over after the timeout", "[engine][session]") {
  SessionStore store(SmallStore());
  Play(store, 1, 100, 0);
  CHECK(Play(store, 1, 101, 1000) == 100);  // exactly at the timeout: still live
  CHECK(Play(store, 1, 102, 2001) == 102);  // past it: a new session
  CHECK(store.Stats().evicted_idle == 1);
  Play(store, 2, 200, 2001);
  store.Sweep(5000);
  CHECK(store.Stats().active == 0);
  CHECK(store.Stats().evicted_idle == 3);
  CHECK(store.Stats().bytes == 0);
}

TEST_CASE("the memory budget evicts the least recently used sessions", "[engine][session]") {
  // One shard, room for a handful of sessions.
  SessionStore store(SmallStore(/*budget=*/2048, /*shards=*/1));
  for (UserId u = 0; u < 100; ++u) Play(store, u, u, u);
  const auto stats = store.Stats();
  CHECK(stats.bytes <= 2048);
  CHECK(stats.active > 1);
  CHECK(stats.active < 100);
  CHECK(stats.evicted_budget == 100 - stats.active);
  // The most recent user survived, the oldest did not.
  CHECK(Play(store, 99, 5000, 200) == 99);
  CHECK(Play(store, 0, 5000, 201) == 5000);
}

TEST_CASE("one user's session stays consistent under concurrent requests", "[engine][session]") {
  SessionStore store(SmallStore(1u << 20, 8));
  constexpr int kThreads = 4, kPerThread = 200;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        const TrackId t = static_cast<TrackId>(i * kPerThread + k);
        store.WithSession(7, t, 0, [&](serving::SessionState& s) {
          s.RecordPlayed(t, 0.5, 0);
          return 0;
        });
        Play(store, static_cast<UserId>(100 + i), t, 0);  // other users, other shards
      }
    });
  }
  for (auto& t : threads) t.join();
  store.WithSession(7, 0, 0, [&](serving::SessionState& s) {
    CHECK(s.plays() == kThreads * kPerThread);
    CHECK(s.ArtistPlays(0) == kThreads * kPerThread);
    return 0;
  });
  CHECK(store.Stats().active == 1 + kThreads);
}

TEST_CASE("session store options are validated", "[engine][session]") {
  SessionStoreOptions o;
  CHECK(o.Validate().ok());
  o.shards = 3;
  CHECK_FALSE(o.Validate().ok());
  o = {};
  o.idle_timeout_ms = 0;
  CHECK_FALSE(o.Validate().ok());
  o = {};
  o.memory_budget_bytes = 100;
  CHECK_FALSE(o.Validate().ok());
}
