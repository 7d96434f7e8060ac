// MurmurHash3_x86_32 (Austin Appleby's public-domain algorithm), bit-exact: experiment
// assignment (docs/contracts.md §4) depends on it, and gold vectors in the tests pin it.
#pragma once

#include <cstdint>
#include <string_view>

namespace botify {

// Thread-safe (pure function).
std::uint32_t MurmurHash3_x86_32(std::string_view data, std::uint32_t seed);

}  // namespace botify
