#include "engine/train/mf/mf_model.h"

namespace botify::train::mf {

MfModel::MfModel(std::uint32_t n_users, std::uint32_t n_items, std::uint32_t no_components)
    : n_users_(n_users),
      n_items_(n_items),
      no_components_(no_components),
      stride_((no_components + kLaneWidth - 1) / kLaneWidth * kLaneWidth),
      user_embeddings_(std::size_t{n_users} * stride_, 0.0f),
      item_embeddings_(std::size_t{n_items} * stride_, 0.0f),
      item_biases_(n_items, 0.0f) {}

void MfModel::InitUniform(Rng& rng) {
  const float scale = 1.0f / static_cast<float>(no_components_);
  auto fill = [&](std::vector<float>& rows) {
    for (std::size_t r = 0; r < rows.size(); r += stride_) {
      for (std::uint32_t c = 0; c < no_components_; ++c) {
        rows[r + c] = (rng.UniformFloat() - 0.5f) * scale;
      }
    }
  };
  // Items first, then users: the order LightFM initialises them in.
  fill(item_embeddings_);
  fill(user_embeddings_);
  std::fill(item_biases_.begin(), item_biases_.end(), 0.0f);
}

void MfModel::ScoreAll(std::uint32_t u, std::span<float> out) const {
  ScoreRange(u, 0, n_items_, out.data());
}

void MfModel::ScoreRange(std::uint32_t u, std::uint32_t begin, std::uint32_t end,
                         float* out) const {
  const float* p = user(u);
  std::uint32_t i = begin;
  // Four items at a time: four independent accumulators hide the add latency and each
  // load of the user's row serves four products.
  for (; i + 4 <= end; i += 4) {
    const float* q = item(i);
    Float4 a0 = {}, a1 = {}, a2 = {}, a3 = {};
    for (std::uint32_t c = 0; c < stride_; c += 4) {
      const Float4 pc = Load4(p + c);
      a0 += pc * Load4(q + c);
      a1 += pc * Load4(q + stride_ + c);
      a2 += pc * Load4(q + 2 * stride_ + c);
      a3 += pc * Load4(q + 3 * stride_ + c);
    }
    out[i - begin] = Sum4(a0) + item_biases_[i];
    out[i - begin + 1] = Sum4(a1) + item_biases_[i + 1];
    out[i - begin + 2] = Sum4(a2) + item_biases_[i + 2];
    out[i - begin + 3] = Sum4(a3) + item_biases_[i + 3];
  }
  for (; i < end; ++i) out[i - begin] = Dot(p, item(i), stride_) + item_biases_[i];
}

}  // namespace botify::train::mf
