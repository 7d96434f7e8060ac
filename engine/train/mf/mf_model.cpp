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

}  // namespace botify::train::mf
