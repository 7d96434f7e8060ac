#include "base/murmur3.h"

#include <cstring>

namespace botify {
namespace {

constexpr std::uint32_t kC1 = 0xcc9e2d51;
constexpr std::uint32_t kC2 = 0x1b873593;

inline std::uint32_t Rotl32(std::uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

inline std::uint32_t FinalMix(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

inline std::uint32_t ScrambleBlock(std::uint32_t k) {
  k *= kC1;
  k = Rotl32(k, 15);
  return k * kC2;
}

}  // namespace

std::uint32_t MurmurHash3_x86_32(std::string_view data, std::uint32_t seed) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t len = data.size();
  const std::size_t nblocks = len / 4;
  std::uint32_t h = seed;

  for (std::size_t i = 0; i < nblocks; ++i) {
    std::uint32_t k;
    std::memcpy(&k, bytes + i * 4, 4);  // the reference reads blocks little-endian
    h ^= ScrambleBlock(k);
    h = Rotl32(h, 13);
    h = h * 5 + 0xe6546b64;
  }

  const unsigned char* tail = bytes + nblocks * 4;
  std::uint32_t k = 0;
  switch (len & 3) {
    case 3:
      k ^= static_cast<std::uint32_t>(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k ^= static_cast<std::uint32_t>(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k ^= tail[0];
      h ^= ScrambleBlock(k);
  }

  h ^= static_cast<std::uint32_t>(len);
  return FinalMix(h);
}

}  // namespace botify
