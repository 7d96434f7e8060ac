// One of N disjoint shards of a 32-bit id space (users, anchor tracks), for offline jobs
// split over several processes or machines (docs/scale.md "Sharded offline steps"). An id
// belongs to exactly one shard, by a stable hash that every machine computes alike
// (docs/contracts.md §13, exactly):
//
//   shard(id) = MurmurHash3_x86_32(decimal string of id, seed 0x62736864) % N
//
// (the decimal string as in experiment hashing, §4: no sign, no leading zeros; the seed is
// "bshd" read as a big-endian uint32). A hash, not ranges of ids, so that shards hold about
// as many users whatever the ids look like, and so that a shard's users are a fair sample.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify {

// A value type; thread-safe (immutable once built).
struct KeyShard {
  // Largest N accepted: enough for any cluster, small enough that a typo (a user id where
  // N belongs) is caught.
  static constexpr std::uint32_t kMaxShards = 4096;
  static constexpr std::uint32_t kSeed = 0x62736864;

  std::uint32_t index = 0;  // I, in [0, count)
  std::uint32_t count = 1;  // N, in [1, kMaxShards]; 1 = every id (no sharding)

  // "I/N", e.g. "2/7". InvalidArgument naming the text otherwise.
  static Result<KeyShard> Parse(std::string_view text);

  // The shard `id` belongs to among `count`.
  static std::uint32_t Of(std::uint32_t id, std::uint32_t count);

  bool Owns(std::uint32_t id) const { return count == 1 || Of(id, count) == index; }
  bool all() const { return count == 1; }
  // "I/N".
  std::string ToString() const;
  Status Validate() const;

  friend bool operator==(const KeyShard&, const KeyShard&) = default;
};

}  // namespace botify
