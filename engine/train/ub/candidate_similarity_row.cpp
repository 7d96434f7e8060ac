#include "engine/train/ub/candidate_similarity_row.h"

#include <algorithm>

namespace botify::train::ub {

CandidateSimilarityRow::CandidateSimilarityRow(const InteractionMatrix& m,
                                               const CappedTrackIndex& index,
                                               const UserBasedOptions& options)
    : m_(m),
      index_(index),
      options_(options),
      row_value_(m.num_tracks(), 0.0),
      in_row_(m.num_tracks(), 0),
      is_candidate_(m.num_users(), 0) {}

void CandidateSimilarityRow::Compute(std::uint32_t u, Neighbours* out) {
  out->clear();
  const double norm_u = m_.row_norms[u];
  if (norm_u == 0) return;  // sklearn: a zero row has similarity 0 to everyone
  CollectCandidates(u);
  const auto tracks = m_.RowTracks(u);
  const auto values = m_.RowValues(u);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    row_value_[tracks[i]] = values[i];
    in_row_[tracks[i]] = 1;
  }
  for (std::uint32_t v : candidates_) {
    is_candidate_[v] = 0;
    if (m_.row_norms[v] == 0) continue;
    std::uint32_t common = 0;
    const double dot = Dot(v, &common);
    const double w = CosineWeight(dot, norm_u, m_.row_norms[v], common, options_.shrinkage);
    if (w != 0) out->emplace_back(v, w);
  }
  for (std::uint32_t t : tracks) in_row_[t] = 0;
  candidates_scored_ += candidates_.size();
  max_candidates_ = std::max(max_candidates_, candidates_.size());
  KeepMostSimilar(options_.neighbours, out);
}

// candidates_ = the users kept for u's tracks, u excluded, ascending.
void CandidateSimilarityRow::CollectCandidates(std::uint32_t u) {
  candidates_.clear();
  for (std::uint32_t t : m_.RowTracks(u)) {
    for (std::uint32_t v : index_.Users(t)) {
      if (v != u && !is_candidate_[v]) {
        is_candidate_[v] = 1;
        candidates_.push_back(v);
      }
    }
  }
  std::sort(candidates_.begin(), candidates_.end());
}

// R_u · R_v over v's tracks in ascending order (the order SimilarityRow sums them in),
// and the number of tracks both played.
double CandidateSimilarityRow::Dot(std::uint32_t v, std::uint32_t* common) const {
  const auto tracks = m_.RowTracks(v);
  const auto values = m_.RowValues(v);
  double dot = 0;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (!in_row_[tracks[i]]) continue;
    dot += row_value_[tracks[i]] * values[i];
    ++*common;
  }
  return dot;
}

}  // namespace botify::train::ub
