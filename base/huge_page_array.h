// A fixed-size, zero-filled array for a large table read at random on a request path,
// whose memory the kernel is asked to back with transparent huge pages.
//
// Why: a request of the session model reads a few hundred rows scattered over tens of MiB
// (docs/server.md, "The session model's cost"). On 4 KiB pages nearly every such read
// also misses the TLB and walks the page table; on 2 MiB pages the whole table needs a
// few dozen TLB entries. Arrays of at least kHugePageThreshold bytes are 2 MiB aligned and
// madvise(MADV_HUGEPAGE)'d before they are first touched; smaller ones are only 64-byte
// (cache line) aligned. The advice is only advice: where THP is "never" or no huge page
// is free, the array works the same on small pages.
//
// Movable (a moved-from array is empty), not copyable. Thread-compatible; its elements are as
// thread-safe as the code that shares them.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

namespace botify {

namespace huge_page_internal {
// `bytes` of zeroed memory aligned as the header says; never null (aborts when out of
// memory, like operator new). Release with std::free.
void* AllocateZeroed(std::size_t bytes);
}  // namespace huge_page_internal

inline constexpr std::size_t kHugePageThreshold = std::size_t{1} << 20;

template <typename T>
class HugePageArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  HugePageArray() = default;
  explicit HugePageArray(std::size_t size)
      : data_(size == 0 ? nullptr
                        : static_cast<T*>(huge_page_internal::AllocateZeroed(size * sizeof(T)))),
        size_(size) {}
  HugePageArray(HugePageArray&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  HugePageArray& operator=(HugePageArray&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::span<T> span() { return {data_.get(), size_}; }
  std::span<const T> span() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T[], Free> data_;
  std::size_t size_ = 0;
};

}  // namespace botify
