// Per-connection memory for a parsed request's header fields, so that parsing a request
// does not touch the heap once the connection is warm (the idea of Beast's fields_alloc,
// example/http/server/fast). Beast's basic_fields allocates the method and target once and
// every header field separately; with an ArenaAllocator they come from the connection's
// RequestArena instead, bump-allocated, and the whole arena is reused as soon as the
// last of them is freed (when the request's parser is destroyed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace botify::server {

// A fixed buffer handed out front to back. Thread-compatible: one per connection, used on
// its worker thread only. An allocation that does not fit goes to the heap (a request with
// unusually large headers costs what it cost before; nothing fails). Must outlive every
// allocator that points at it.
class RequestArena {
 public:
  explicit RequestArena(std::size_t bytes) : buffer_(bytes), size_(bytes) {}
  RequestArena(const RequestArena&) = delete;
  RequestArena& operator=(const RequestArena&) = delete;

  void* Allocate(std::size_t bytes, std::size_t alignment) {
    const std::size_t start = (used_ + alignment - 1) & ~(alignment - 1);
    if (alignment > alignof(std::max_align_t) || start + bytes > size_) {
      ++heap_allocations_;
      return ::operator new(bytes);
    }
    used_ = start + bytes;
    ++live_;
    return buffer_.data() + start;
  }

  void Deallocate(void* p) noexcept {
    if (!Owns(p)) return ::operator delete(p);
    if (--live_ == 0) used_ = 0;  // everything handed out is back: start over
  }

  bool Owns(const void* p) const noexcept {
    const auto* b = static_cast<const std::byte*>(p);
    return b >= buffer_.data() && b < buffer_.data() + size_;
  }
  // Allocations that did not fit since construction; for tests and tuning.
  std::uint64_t heap_allocations() const { return heap_allocations_; }
  // Bytes handed out and not yet reclaimed (reclaimed all at once, when none is live).
  std::size_t used() const { return used_; }

 private:
  // A vector, not new[]: its memory comes from ::operator new, the same function a spilled
  // allocation uses, so the compiler sees one allocation family throughout.
  std::vector<std::byte> buffer_;
  std::size_t size_;
  std::size_t used_ = 0;
  std::size_t live_ = 0;  // allocations from buffer_ not yet freed
  std::uint64_t heap_allocations_ = 0;
};

// A standard allocator over a RequestArena. Default-constructed it has no arena and uses
// the heap, so a Request built outside a connection (tests, tools) needs no arena.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;

  ArenaAllocator() noexcept = default;
  explicit ArenaAllocator(RequestArena* arena) noexcept : arena_(arena) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    return static_cast<T*>(arena_ != nullptr ? arena_->Allocate(bytes, alignof(T))
                                             : ::operator new(bytes));
  }
  void deallocate(T* p, std::size_t) noexcept {
    if (arena_ != nullptr) return arena_->Deallocate(p);
    ::operator delete(p);
  }

  RequestArena* arena() const noexcept { return arena_; }

  template <class U>
  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator<U>& b) noexcept {
    return a.arena() == b.arena();
  }

 private:
  RequestArena* arena_ = nullptr;
};

}  // namespace botify::server
