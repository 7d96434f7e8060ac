#include "engine/serving/session_store.h"

#include <bit>

namespace botify::serving {

namespace {
// Idle sessions forgotten per request at most, so one request never pays for a long sweep.
constexpr std::size_t kExpirePerRequest = 4;
}  // namespace

Status SessionStoreOptions::Validate() const {
  if (shards == 0 || !std::has_single_bit(shards) || shards > 4096) {
    return Status::InvalidArgument("session shards must be a power of two in [1, 4096]");
  }
  if (idle_timeout_ms <= 0) return Status::InvalidArgument("session idle timeout must be > 0");
  if (max_tracks_per_session == 0) {
    return Status::InvalidArgument("tracks per session must be > 0");
  }
  if (memory_budget_bytes < shards * 1024) {
    return Status::InvalidArgument("session memory budget must be at least 1 KiB per shard");
  }
  return Status::Ok();
}

SessionStore::SessionStore(const SessionStoreOptions& options)
    : options_(options),
      shard_budget_(options.memory_budget_bytes / options.shards),
      mask_(options.shards - 1),
      shards_(std::make_unique<Shard[]>(options.shards)) {}

SessionState& SessionStore::Shard::Acquire(UserId user, TrackId track, std::int64_t now_ms,
                                           SessionStore& store) {
  ExpireIdle(now_ms, kExpirePerRequest, store);
  if (auto found = by_user.find(user); found != by_user.end()) {
    auto it = found->second;
    if (now_ms - it->last_ms <= store.options_.idle_timeout_ms) {
      it->last_ms = now_ms;
      lru.splice(lru.begin(), lru, it);
      return it->state;
    }
    bytes -= it->state.Bytes() + kEntryOverhead;
    Erase(it);
    evicted_idle.fetch_add(1, std::memory_order_relaxed);
  }
  lru.push_front(Entry{user, now_ms, SessionState(track, store.options_.max_tracks_per_session)});
  by_user.emplace(user, lru.begin());
  bytes += lru.front().state.Bytes() + kEntryOverhead;
  started.fetch_add(1, std::memory_order_relaxed);
  return lru.front().state;
}

void SessionStore::Shard::Settle(std::size_t after, std::size_t before, SessionStore& store) {
  bytes = bytes + after - before;
  // The session just used is at the front and is never evicted by its own request.
  while (bytes > store.shard_budget_ && lru.size() > 1) {
    auto victim = std::prev(lru.end());
    bytes -= victim->state.Bytes() + kEntryOverhead;
    Erase(victim);
    evicted_budget.fetch_add(1, std::memory_order_relaxed);
  }
  Publish();
}

void SessionStore::Shard::ExpireIdle(std::int64_t now_ms, std::size_t at_most,
                                     const SessionStore& store) {
  for (std::size_t i = 0; i < at_most && !lru.empty(); ++i) {
    auto oldest = std::prev(lru.end());
    if (now_ms - oldest->last_ms <= store.options_.idle_timeout_ms) break;
    bytes -= oldest->state.Bytes() + kEntryOverhead;
    Erase(oldest);
    evicted_idle.fetch_add(1, std::memory_order_relaxed);
  }
}

void SessionStore::Shard::Erase(std::list<Entry>::iterator it) {
  by_user.erase(it->user);
  lru.erase(it);
}

void SessionStore::Shard::Publish() {
  bytes_seen.store(bytes, std::memory_order_relaxed);
  active_seen.store(lru.size(), std::memory_order_relaxed);
}

void SessionStore::End(UserId user) {
  Shard& shard = ShardOf(user);
  MutexLock lock(shard.mu);
  auto found = shard.by_user.find(user);
  if (found == shard.by_user.end()) return;
  shard.bytes -= found->second->state.Bytes() + kEntryOverhead;
  shard.Erase(found->second);
  shard.ended.fetch_add(1, std::memory_order_relaxed);
  shard.Publish();
}

void SessionStore::Sweep(std::int64_t now_ms) {
  for (std::size_t i = 0; i < options_.shards; ++i) {
    Shard& shard = shards_[i];
    MutexLock lock(shard.mu);
    shard.ExpireIdle(now_ms, shard.lru.size(), *this);
    shard.Publish();
  }
}

SessionStoreStats SessionStore::Stats() const {
  SessionStoreStats s;
  for (std::size_t i = 0; i < options_.shards; ++i) {
    const Shard& shard = shards_[i];
    s.active += shard.active_seen.load(std::memory_order_relaxed);
    s.bytes += shard.bytes_seen.load(std::memory_order_relaxed);
    s.started += shard.started.load(std::memory_order_relaxed);
    s.ended += shard.ended.load(std::memory_order_relaxed);
    s.evicted_budget += shard.evicted_budget.load(std::memory_order_relaxed);
    s.evicted_idle += shard.evicted_idle.load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace botify::serving
