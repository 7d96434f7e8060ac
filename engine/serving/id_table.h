// Small open-addressing hash tables of 32-bit ids for per-session state: O(1) lookups and
// inserts (amortized) whatever the number of ids held, so a request late in a long
// session costs what an early one does. Linear probing in a power-of-two array kept at
// most 3/4 full; an id is stored plus one, so 0 marks an empty slot (ids up to 2^32 - 2).
// Start empty with no allocation; grow by doubling. Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace botify::serving {

namespace internal {

// An open-addressing table of Slot (a struct whose `key` member is id + 1, 0 = empty).
template <typename Slot>
class IdTable {
 public:
  // The slot of `id`, or null if absent.
  const Slot* Find(std::uint32_t id) const {
    if (capacity_ == 0) return nullptr;
    const Slot* s = Probe(slots_.get(), capacity_, id);
    return s->key == 0 ? nullptr : s;
  }
  // The slot of `id`, inserted (value-initialized but for the key) if absent.
  Slot* FindOrInsert(std::uint32_t id, bool* inserted) {
    if (4 * (size_ + 1) > 3 * capacity_) Grow();
    Slot* s = Probe(slots_.get(), capacity_, id);
    *inserted = s->key == 0;
    if (*inserted) {
      s->key = id + 1;
      ++size_;
    }
    return s;
  }
  std::size_t size() const { return size_; }
  std::size_t Bytes() const { return capacity_ * sizeof(Slot); }

 private:
  template <typename S>
  static S* Probe(S* slots, std::size_t capacity, std::uint32_t id) {
    const std::uint32_t key = id + 1;
    std::size_t i = ((std::uint64_t{id} * 0x9e3779b97f4a7c15ULL) >> 32) & (capacity - 1);
    while (slots[i].key != 0 && slots[i].key != key) i = (i + 1) & (capacity - 1);
    return &slots[i];
  }
  void Grow() {
    const std::size_t capacity = capacity_ == 0 ? 16 : 2 * capacity_;
    std::unique_ptr<Slot[]> slots(new Slot[capacity]());
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].key != 0) *Probe(slots.get(), capacity, slots_[i].key - 1) = slots_[i];
    }
    slots_ = std::move(slots);
    capacity_ = capacity;
  }

  std::unique_ptr<Slot[]> slots_;
  std::size_t capacity_ = 0;  // 0 or a power of two
  std::size_t size_ = 0;
};

struct IdSlot {
  std::uint32_t key;
};
struct IdCountSlot {
  std::uint32_t key;
  std::uint32_t count;
};

}  // namespace internal

// A set of ids: 4 bytes a slot.
class IdSet {
 public:
  // True if `id` was not in the set.
  bool Insert(std::uint32_t id) {
    bool inserted = false;
    table_.FindOrInsert(id, &inserted);
    return inserted;
  }
  bool Contains(std::uint32_t id) const { return table_.Find(id) != nullptr; }
  std::size_t size() const { return table_.size(); }
  std::size_t Bytes() const { return table_.Bytes(); }

 private:
  internal::IdTable<internal::IdSlot> table_;
};

// id -> count: 8 bytes a slot.
class IdCounts {
 public:
  // Adds one to `id`'s count.
  void Increment(std::uint32_t id) {
    bool inserted = false;
    ++table_.FindOrInsert(id, &inserted)->count;
  }
  // The count of `id`, 0 if never incremented.
  std::uint32_t Get(std::uint32_t id) const {
    const auto* s = table_.Find(id);
    return s == nullptr ? 0 : s->count;
  }
  std::size_t size() const { return table_.size(); }
  std::size_t Bytes() const { return table_.Bytes(); }

 private:
  internal::IdTable<internal::IdCountSlot> table_;
};

}  // namespace botify::serving
