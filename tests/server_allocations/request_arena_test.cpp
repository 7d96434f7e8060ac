#include "server/request_arena.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

using botify::server::ArenaAllocator;
using botify::server::RequestArena;

TEST_CASE("the arena hands out aligned memory front to back and starts over when empty",
          "[server][allocations]") {
  RequestArena arena(256);
  void* a = arena.Allocate(10, 1);
  void* b = arena.Allocate(8, 8);
  CHECK(arena.Owns(a));
  CHECK(arena.Owns(b));
  CHECK(reinterpret_cast<std::uintptr_t>(b) % 8 == 0);
  CHECK(static_cast<char*>(b) >= static_cast<char*>(a) + 10);
  CHECK(arena.used() >= 18);
  arena.Deallocate(a);
  CHECK(arena.used() >= 18);  // b is still live
  arena.Deallocate(b);
  CHECK(arena.used() == 0);
  CHECK(arena.Allocate(4, 1) == a);  // reused from the start
  CHECK(arena.heap_allocations() == 0);
}

TEST_CASE("an allocation that does not fit comes from the heap", "[server][allocations]") {
  RequestArena arena(64);
  void* small = arena.Allocate(32, 8);
  void* big = arena.Allocate(64, 8);
  CHECK(arena.Owns(small));
  CHECK_FALSE(arena.Owns(big));
  CHECK(arena.heap_allocations() == 1);
  arena.Deallocate(big);  // back to the heap, not counted against the arena
  CHECK(arena.used() >= 32);
  arena.Deallocate(small);
  CHECK(arena.used() == 0);
}

TEST_CASE("a container over an ArenaAllocator lives in the arena; a default one uses the heap",
          "[server][allocations]") {
  RequestArena arena(1024);
  {
    std::vector<int, ArenaAllocator<int>> v{ArenaAllocator<int>(&arena)};
    v.reserve(16);
    for (int i = 0; i < 16; ++i) v.push_back(i);
    CHECK(arena.Owns(v.data()));
    CHECK(v[15] == 15);
  }
  CHECK(arena.used() == 0);
  std::vector<int, ArenaAllocator<int>> heap(4, 7);
  CHECK_FALSE(arena.Owns(heap.data()));
  CHECK(ArenaAllocator<int>() == ArenaAllocator<char>());
  CHECK_FALSE(ArenaAllocator<int>(&arena) == ArenaAllocator<char>());
}
