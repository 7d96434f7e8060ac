// Id types shared by every layer.
#pragma once

#include <cstdint>
#include <limits>

namespace botify {

// Track ids are dense: 0 .. catalog size - 1.
using TrackId = std::uint32_t;
// User ids are any non-negative integer that fits 32 bits.
using UserId = std::uint32_t;
// Artist ids are dense: 0 .. number of artists - 1, in catalog order.
using ArtistId = std::uint32_t;

inline constexpr std::uint64_t kMaxId = std::numeric_limits<std::uint32_t>::max();

}  // namespace botify
