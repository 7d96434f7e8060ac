// Every active listener's SessionState, in memory only (issue 14): a restart starts every
// session afresh. Sharded by user, each shard under its own mutex, so workers serving
// different users rarely meet and there is no process-wide lock on the request path;
// requests of one user are serialized, whichever connection or worker they arrive on.
//
// Bounded: a session idle for longer than the timeout is forgotten (its next request
// starts a new one), and when the shards together hold more than the memory budget, the
// least recently used sessions are evicted, oldest first.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "base/ids.h"
#include "base/mutex.h"
#include "base/status.h"
#include "engine/serving/session_state.h"

namespace botify::serving {

struct SessionStoreOptions {
  // Memory for all session state, bytes (state plus bookkeeping, as estimated by the
  // store). At about 400 bytes for a typical session, 64 MiB holds ~160k listeners.
  std::size_t memory_budget_bytes = 64u << 20;
  // A session untouched for this long is over: its next request starts a new one.
  // 30 minutes, as web analytics count sessions.
  std::int64_t idle_timeout_ms = 30 * 60 * 1000;
  // Independent locks; a power of two. More shards, less contention, more fixed memory.
  std::size_t shards = 64;
  // Tracks one session remembers at most (bounds a single session's memory).
  std::size_t max_tracks_per_session = 1024;

  Status Validate() const;
};

struct SessionStoreStats {
  std::uint64_t active = 0;          // sessions held
  std::uint64_t bytes = 0;           // estimated memory held
  std::uint64_t started = 0;         // sessions begun
  std::uint64_t ended = 0;           // closed by /last
  std::uint64_t evicted_budget = 0;  // dropped to stay within the memory budget
  std::uint64_t evicted_idle = 0;    // dropped after the idle timeout
};

// Thread-safe.
class SessionStore {
 public:
  // `options` must be valid (Validate()).
  explicit SessionStore(const SessionStoreOptions& options);
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // Runs fn(SessionState&) with `user`'s session locked and returns what fn returns. A
  // user without a live session gets a new one whose first track is `track`. `now_ms` is
  // a monotonic clock in milliseconds (steady_clock), passed in so tests control time.
  // fn must not call back into the store.
  template <typename Fn>
  auto WithSession(UserId user, TrackId track, std::int64_t now_ms, Fn&& fn) {
    Shard& shard = ShardOf(user);
    MutexLock lock(shard.mu);
    SessionState& state = shard.Acquire(user, track, now_ms, *this);
    const std::size_t before = state.Bytes();
    struct Settle {  // accounts the growth and evicts even if fn throws
      Shard& shard;
      SessionState& state;
      std::size_t before;
      SessionStore& store;
      // Runs before `lock` is released (declared after it), which the analysis cannot
      // see from inside a destructor.
      ~Settle() NO_THREAD_SAFETY_ANALYSIS { shard.Settle(state.Bytes(), before, store); }
    } settle{shard, state, before, *this};
    return fn(state);
  }

  // Ends `user`'s session (a /last request); a no-op without one.
  void End(UserId user);

  // Forgets every session idle past the timeout at `now_ms`. Off the request path.
  void Sweep(std::int64_t now_ms);

  // A consistent-enough snapshot (each figure exact, read without locks).
  SessionStoreStats Stats() const;
  const SessionStoreOptions& options() const { return options_; }

 private:
  struct Entry {
    UserId user;
    std::int64_t last_ms;
    SessionState state;
  };
  // Bytes a session costs beyond SessionState::Bytes(): its list node and its share of
  // the map's slots (kept at most 7/8 full) with their metadata bytes.
  static constexpr std::size_t kEntryOverhead =
      sizeof(Entry) - sizeof(SessionState) + 3 * sizeof(void*) +  // list node
      (sizeof(UserId) + sizeof(void*)) * 8 / 7 + 2;               // map slot

  struct alignas(64) Shard {
    Mutex mu;
    std::list<Entry> lru GUARDED_BY(mu);  // most recently used first
    // Open addressing (Boost's SIMD-probed flat map): a lookup reads one group of slots,
    // where a node-based map chased a bucket and a node (two misses on a cold shard).
    boost::unordered_flat_map<UserId, std::list<Entry>::iterator> by_user GUARDED_BY(mu);
    std::size_t bytes GUARDED_BY(mu) = 0;
    // Mirrors of the guarded figures and counters, for lock-free Stats().
    std::atomic<std::uint64_t> bytes_seen{0}, active_seen{0};
    std::atomic<std::uint64_t> started{0}, ended{0}, evicted_budget{0}, evicted_idle{0};

    SessionState& Acquire(UserId user, TrackId track, std::int64_t now_ms, SessionStore& store)
        REQUIRES(mu);
    void Settle(std::size_t after, std::size_t before, SessionStore& store) REQUIRES(mu);
    void ExpireIdle(std::int64_t now_ms, std::size_t at_most, const SessionStore& store)
        REQUIRES(mu);
    void Erase(std::list<Entry>::iterator it) REQUIRES(mu);
    void Publish() REQUIRES(mu);
  };

  Shard& ShardOf(UserId user) {
    // Fibonacci hashing: consecutive user ids land on different shards.
    return shards_[((static_cast<std::uint64_t>(user) * 0x9e3779b97f4a7c15ULL) >> 32) & mask_];
  }

  // Constant after construction.
  SessionStoreOptions options_;
  std::size_t shard_budget_;
  std::size_t mask_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace botify::serving
