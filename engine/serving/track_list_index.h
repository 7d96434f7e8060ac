// Named indexes of track lists (docs/contracts.md §5-6): key (a user id, or a track id for
// contextual indexes) -> ranked list of tracks. The engine sees an index only through this
// interface; storage implements it over RocksDB and tests with an in-memory map.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/mutex.h"
#include "engine/serving/session_model.h"

namespace botify::serving {

// One immutable generation of an index. Implementations are thread-safe.
class TrackListIndex {
 public:
  virtual ~TrackListIndex() = default;
  // Fills *out with the list stored for `key` and returns true, or returns false if the
  // index has no list for it. *out is reused, so a warm caller does not allocate.
  virtual bool Get(std::uint32_t key, std::vector<TrackId>* out) const = 0;
  // Generation number (increases with every load of the same name).
  virtual std::uint64_t generation() const = 0;
  // The session model this generation carries (an index built with `index build
  // --session-model`), or null. Lives as long as the generation.
  virtual const SessionModel* session_model() const { return nullptr; }
};

// A plain in-memory index: for tests and for small built-in lists. Thread-safe (immutable).
class InMemoryTrackListIndex final : public TrackListIndex {
 public:
  explicit InMemoryTrackListIndex(std::unordered_map<std::uint32_t, std::vector<TrackId>> lists,
                                  std::uint64_t generation = 1,
                                  std::shared_ptr<const SessionModel> model = nullptr)
      : lists_(std::move(lists)), generation_(generation), model_(std::move(model)) {}
  bool Get(std::uint32_t key, std::vector<TrackId>* out) const override;
  std::uint64_t generation() const override { return generation_; }
  const SessionModel* session_model() const override { return model_.get(); }

 private:
  std::unordered_map<std::uint32_t, std::vector<TrackId>> lists_;
  std::uint64_t generation_;
  std::shared_ptr<const SessionModel> model_;
};

// The serving generation of one named index. Readers take a reference for the duration
// of a request; a reload stores a new generation atomically, so a request sees either the
// old or the new index, never a mix. Thread-safe.
class IndexSlot {
 public:
  std::shared_ptr<const TrackListIndex> Load() const {
    return current_.load(std::memory_order_acquire);
  }
  // Returns the generation it replaced (may be null).
  std::shared_ptr<const TrackListIndex> Exchange(std::shared_ptr<const TrackListIndex> next) {
    return current_.exchange(std::move(next), std::memory_order_acq_rel);
  }

 private:
  std::atomic<std::shared_ptr<const TrackListIndex>> current_;
};

// Name -> slot. Slots are created on first use and live as long as the registry, so a
// recommender may keep a raw IndexSlot* for its lifetime. Thread-safe; the mutex is taken
// only when a recommender is built or an index loaded, never on the request path.
class IndexRegistry {
 public:
  IndexSlot* GetOrCreate(const std::string& name);
  // Names of every slot, sorted.
  std::vector<std::string> Names() const;

 private:
  mutable Mutex mu_;
  std::map<std::string, std::unique_ptr<IndexSlot>> slots_ GUARDED_BY(mu_);
};

}  // namespace botify::serving
