// The factorisation model's parameters: user embeddings p_u, item embeddings q_i and item
// biases b_i; score(u, i) = dot(p_u, q_i) + b_i. Users and items are dense indices
// (see InteractionSplit for the mapping to ids).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "base/random.h"

namespace botify::train::mf {

// Rows are padded to this many floats so that dot products run in whole vector lanes.
inline constexpr std::uint32_t kLaneWidth = 8;

// Four floats as one GCC/Clang vector (an SSE register on baseline x86-64, a NEON one on
// arm64): the compiler emits whole-register multiplies and adds.
using Float4 = float __attribute__((vector_size(4 * sizeof(float))));

inline Float4 Load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

inline float Sum4(Float4 v) { return (v[0] + v[2]) + (v[1] + v[3]); }

// Dot product of two padded rows of `stride` floats (a multiple of kLaneWidth); two
// accumulators per lane width halve the add dependency chain.
inline float Dot(const float* a, const float* b, std::uint32_t stride) {
  Float4 lo = {}, hi = {};
  for (std::uint32_t c = 0; c < stride; c += kLaneWidth) {
    lo += Load4(a + c) * Load4(b + c);
    hi += Load4(a + c + 4) * Load4(b + c + 4);
  }
  return Sum4(lo + hi);
}

// Thread-compatible. Contiguous row-major float arrays; padding floats are always 0.
class MfModel {
 public:
  MfModel() = default;
  // All parameters zero.
  MfModel(std::uint32_t n_users, std::uint32_t n_items, std::uint32_t no_components);

  // LightFM's initialisation: embeddings uniform in [-0.5, 0.5) / no_components, biases 0.
  void InitUniform(Rng& rng);

  std::uint32_t n_users() const { return n_users_; }
  std::uint32_t n_items() const { return n_items_; }
  std::uint32_t no_components() const { return no_components_; }
  std::uint32_t stride() const { return stride_; }

  float* user(std::uint32_t u) { return user_embeddings_.data() + std::size_t{u} * stride_; }
  const float* user(std::uint32_t u) const {
    return user_embeddings_.data() + std::size_t{u} * stride_;
  }
  float* item(std::uint32_t i) { return item_embeddings_.data() + std::size_t{i} * stride_; }
  const float* item(std::uint32_t i) const {
    return item_embeddings_.data() + std::size_t{i} * stride_;
  }
  float& bias(std::uint32_t i) { return item_biases_[i]; }
  float bias(std::uint32_t i) const { return item_biases_[i]; }

  float Score(std::uint32_t u, std::uint32_t i) const {
    return Dot(user(u), item(i), stride_) + item_biases_[i];
  }

  std::vector<float>& user_embeddings() { return user_embeddings_; }
  const std::vector<float>& user_embeddings() const { return user_embeddings_; }
  std::vector<float>& item_embeddings() { return item_embeddings_; }
  const std::vector<float>& item_embeddings() const { return item_embeddings_; }
  std::vector<float>& item_biases() { return item_biases_; }
  const std::vector<float>& item_biases() const { return item_biases_; }

  friend bool operator==(const MfModel&, const MfModel&) = default;

 private:
  std::uint32_t n_users_ = 0;
  std::uint32_t n_items_ = 0;
  std::uint32_t no_components_ = 0;
  std::uint32_t stride_ = 0;
  std::vector<float> user_embeddings_;  // n_users x stride
  std::vector<float> item_embeddings_;  // n_items x stride
  std::vector<float> item_biases_;      // n_items
};

}  // namespace botify::train::mf
