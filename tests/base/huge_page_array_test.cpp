#include "base/huge_page_array.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace botify;

namespace {

std::uintptr_t Address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

}  // namespace

TEST_CASE("HugePageArray: zero-filled, cache-line aligned, 2 MiB aligned from the threshold",
          "[base]") {
  HugePageArray<float> empty;
  CHECK(empty.size() == 0);
  CHECK(empty.data() == nullptr);
  CHECK(HugePageArray<float>(0).span().empty());

  HugePageArray<float> small(100);
  REQUIRE(small.size() == 100);
  CHECK(Address(small.data()) % 64 == 0);
  for (float v : small.span()) CHECK(v == 0.0f);
  small[99] = 2.5f;
  CHECK(small.span().back() == 2.5f);

  // 3 MiB of ids: past the threshold, so on a huge page boundary (whether the kernel
  // then maps huge pages is its choice).
  HugePageArray<std::uint32_t> large((3u << 20) / sizeof(std::uint32_t));
  CHECK(Address(large.data()) % (2u << 20) == 0);
  std::uint64_t sum = 0;
  for (std::uint32_t v : large.span()) sum += v;
  CHECK(sum == 0);
  large[large.size() - 1] = 7;
  CHECK(large.span().back() == 7);

  HugePageArray<std::uint32_t> moved = std::move(large);
  CHECK(moved.size() == (3u << 20) / sizeof(std::uint32_t));
  CHECK(moved[moved.size() - 1] == 7);
  CHECK(large.size() == 0);
  CHECK(large.data() == nullptr);
}
