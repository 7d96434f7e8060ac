// A small, fast, seedable PRNG (xoshiro256** seeded through splitmix64) with
// platform-independent sampling helpers. Results depend only on the seed, never on the
// standard library, so simulations and trainers reproduce bit-for-bit everywhere.
#pragma once

#include <cstdint>

namespace botify {

// Thread-compatible: give each thread its own Rng.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0x9e3779b97f4a7c15ULL) { Seed(seed); }

  void Seed(std::uint64_t seed) {
    for (auto& s : state_) s = SplitMix64(seed);
  }

  // Uniform 64 random bits.
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform integer in [0, n); n must be > 0. Lemire's multiply-shift with rejection:
  // unbiased and division-free on the common path.
  std::uint64_t Uniform(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double UniformDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform float in [0, 1) with 24 random bits.
  float UniformFloat() { return static_cast<float>(Next() >> 40) * 0x1.0p-24f; }

  // Standard normal (Box–Muller; one value per call, deterministic).
  double Normal();

  // Independent generator for stream `stream` derived from this seed (for threads).
  static Rng ForStream(std::uint64_t seed, std::uint64_t stream) {
    return Rng(seed ^ SplitMix64Once(stream + 0x632be59bd9b4e019ULL));
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t SplitMix64Once(std::uint64_t x) { return SplitMix64(x); }

  std::uint64_t state_[4];
};

}  // namespace botify
