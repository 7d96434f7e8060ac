#include "base/huge_page_array.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstring>

namespace botify::huge_page_internal {

void* AllocateZeroed(std::size_t bytes) {
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  const bool huge = bytes >= kHugePageThreshold;
  const std::size_t alignment = huge ? kHugePage : 64;
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  if (p == nullptr) {
    std::fprintf(stderr, "botify: out of memory allocating %zu bytes\n", rounded);
    std::abort();
  }
  // Before the first touch, so that the faults below can map huge pages. Failure (no
  // THP in this kernel) leaves small pages: nothing to report.
  if (huge) (void)madvise(p, rounded, MADV_HUGEPAGE);
  std::memset(p, 0, rounded);
  return p;
}

}  // namespace botify::huge_page_internal
