#include "engine/train/ub/similarity_row.h"

#include <algorithm>

namespace botify::train::ub {

SimilarityRow::SimilarityRow(const InteractionMatrix& m, const UserBasedOptions& options)
    : m_(m),
      options_(options),
      dot_(m.num_users(), 0.0),
      common_(options.shrinkage > 0 ? m.num_users() : 0, 0),
      touched_(m.num_users(), 0) {}

void SimilarityRow::Compute(std::uint32_t u, Neighbours* out) {
  out->clear();
  const double norm_u = m_.row_norms[u];
  if (norm_u == 0) return;  // sklearn: a zero row has similarity 0 to everyone
  AccumulateDots(u);
  auto add = [&](std::uint32_t v) {
    if (v == u || m_.row_norms[v] == 0) return;
    const std::uint32_t common = common_.empty() ? 0 : common_[v];
    const double w = CosineWeight(dot_[v], norm_u, m_.row_norms[v], common, options_.shrinkage);
    if (w != 0) out->emplace_back(v, w);
  };
  // Ascending user order: sort a few touched users, or scan the flags of all.
  if (touched_users_.size() * 16 < m_.num_users()) {
    std::sort(touched_users_.begin(), touched_users_.end());
    for (std::uint32_t v : touched_users_) add(v);
  } else {
    for (std::uint32_t v = 0; v < m_.num_users(); ++v) {
      if (touched_[v]) add(v);
    }
  }
  KeepMostSimilar(options_.neighbours, out);
  Reset();
}

// dot_[v] = R_u · R_v for every v sharing a track with u.
void SimilarityRow::AccumulateDots(std::uint32_t u) {
  const bool count_common = options_.shrinkage > 0;
  const auto tracks = m_.RowTracks(u);
  const auto values = m_.RowValues(u);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const double ru = values[i];
    const std::uint32_t t = tracks[i];
    for (std::uint32_t e = m_.col_offsets[t]; e < m_.col_offsets[t + 1]; ++e) {
      const std::uint32_t v = m_.col_users[e];
      if (!touched_[v]) {
        touched_[v] = 1;
        touched_users_.push_back(v);
      }
      dot_[v] += ru * m_.col_values[e];
      if (count_common) ++common_[v];
    }
  }
}

void SimilarityRow::Reset() {
  for (std::uint32_t v : touched_users_) {
    dot_[v] = 0;
    touched_[v] = 0;
    if (!common_.empty()) common_[v] = 0;
  }
  touched_users_.clear();
}

}  // namespace botify::train::ub
