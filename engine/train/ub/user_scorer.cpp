#include "engine/train/ub/user_scorer.h"

#include <algorithm>

namespace botify::ub {

UserScorer::UserScorer(const InteractionMatrix& m, const UserBasedOptions& options)
    : m_(m),
      options_(options),
      dot_(m.num_users(), 0.0),
      common_(options.shrinkage > 0 ? m.num_users() : 0, 0),
      user_touched_(m.num_users(), 0),
      score_(m.num_tracks(), 0.0),
      track_touched_(m.num_tracks(), 0),
      excluded_(m.num_tracks(), 0) {}

std::size_t UserScorer::Score(std::uint32_t u, UserList* out) {
  if (m_.row_norms[u] > 0) {
    AccumulateDots(u);
    SelectNeighbours(u);
    AccumulateScores();
  }
  Rank(u, out);
  const std::size_t used = neighbours_.size();
  Reset(u);
  return used;
}

// dot_[v] = R_u · R_v for every v sharing a track with u.
void UserScorer::AccumulateDots(std::uint32_t u) {
  const bool count_common = options_.shrinkage > 0;
  const auto tracks = m_.RowTracks(u);
  const auto values = m_.RowValues(u);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const double ru = values[i];
    const std::uint32_t t = tracks[i];
    for (std::uint32_t e = m_.col_offsets[t]; e < m_.col_offsets[t + 1]; ++e) {
      const std::uint32_t v = m_.col_users[e];
      if (!user_touched_[v]) {
        user_touched_[v] = 1;
        touched_users_.push_back(v);
      }
      dot_[v] += ru * m_.col_values[e];
      if (count_common) ++common_[v];
    }
  }
}

// Turns dot products into cosine weights (diagonal and zero rows excluded), applies
// shrinkage and the neighbour limit; leaves neighbours_ in ascending user order so that
// the score sums do not depend on threads or hash order.
void UserScorer::SelectNeighbours(std::uint32_t u) {
  std::sort(touched_users_.begin(), touched_users_.end());
  const double norm_u = m_.row_norms[u];
  for (std::uint32_t v : touched_users_) {
    if (v == u || m_.row_norms[v] == 0) continue;
    double w = dot_[v] / (norm_u * m_.row_norms[v]);
    if (options_.shrinkage > 0) w *= common_[v] / (common_[v] + options_.shrinkage);
    if (w != 0) neighbours_.emplace_back(v, w);
  }
  const std::size_t k = options_.neighbours;
  if (k == 0 || neighbours_.size() <= k) return;
  auto more_similar = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  std::nth_element(neighbours_.begin(), neighbours_.begin() + static_cast<std::ptrdiff_t>(k),
                   neighbours_.end(), more_similar);
  neighbours_.resize(k);
  std::sort(neighbours_.begin(), neighbours_.end());
}

// score_[t] = Σ_v W[u, v] · R[v, t] over the neighbours, in ascending v.
void UserScorer::AccumulateScores() {
  for (const auto& [v, w] : neighbours_) {
    const auto tracks = m_.RowTracks(v);
    const auto values = m_.RowValues(v);
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      const std::uint32_t t = tracks[i];
      if (!track_touched_[t]) {
        track_touched_[t] = 1;
        touched_tracks_.push_back(t);
      }
      score_[t] += w * values[i];
    }
  }
}

void UserScorer::Rank(std::uint32_t u, UserList* out) {
  if (options_.exclude_played) {
    for (std::uint32_t t : m_.RowTracks(u)) excluded_[t] = 1;
  }
  const std::size_t k = options_.top_k;
  out->user = m_.users[u];
  out->tracks.clear();
  out->scores.clear();
  auto better = [this](std::uint32_t a, std::uint32_t b) {
    return score_[a] != score_[b] ? score_[a] > score_[b] : a < b;
  };
  // Positive scores first, then zeros by id, then negative scores.
  for (const bool positive : {true, false}) {
    ranked_.clear();
    for (std::uint32_t t : touched_tracks_) {
      if (!excluded_[t] && (positive ? score_[t] > 0 : score_[t] < 0)) ranked_.push_back(t);
    }
    const std::size_t n = std::min(ranked_.size(), k - out->tracks.size());
    std::partial_sort(ranked_.begin(), ranked_.begin() + static_cast<std::ptrdiff_t>(n),
                      ranked_.end(), better);
    for (std::size_t i = 0; i < n; ++i) {
      out->tracks.push_back(m_.tracks[ranked_[i]]);
      out->scores.push_back(score_[ranked_[i]]);
    }
    if (positive) AppendZeroScores(k, out);
  }
}

// Appends tracks whose score is exactly 0 (touched or not), lowest id first.
void UserScorer::AppendZeroScores(std::size_t k, UserList* out) const {
  for (std::uint32_t t = 0; t < m_.num_tracks() && out->tracks.size() < k; ++t) {
    if (score_[t] == 0 && !excluded_[t]) {
      out->tracks.push_back(m_.tracks[t]);
      out->scores.push_back(0.0);
    }
  }
}

void UserScorer::Reset(std::uint32_t u) {
  for (std::uint32_t v : touched_users_) {
    dot_[v] = 0;
    user_touched_[v] = 0;
    if (!common_.empty()) common_[v] = 0;
  }
  touched_users_.clear();
  neighbours_.clear();
  for (std::uint32_t t : touched_tracks_) {
    score_[t] = 0;
    track_touched_[t] = 0;
  }
  touched_tracks_.clear();
  if (options_.exclude_played) {
    for (std::uint32_t t : m_.RowTracks(u)) excluded_[t] = 0;
  }
}

}  // namespace botify::ub
