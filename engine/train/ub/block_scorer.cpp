#include "engine/train/ub/block_scorer.h"

#include <algorithm>
#include <limits>

namespace botify::train::ub {
namespace {

constexpr std::size_t kB = BlockScorer::kBlockUsers;
// A dense multiply-add costs about this many times less than a sparse one (scattered
// access, flags, no vectorization); measured on the benchmark log, see docs/trainers.md.
constexpr std::uint64_t kDenseAdvantage = 8;
constexpr double kExcluded = std::numeric_limits<double>::quiet_NaN();

// Four doubles per vector (one AVX register, or two SSE2 ones where AVX2 is missing);
// 16 lanes (4 vectors) are summed per pass so that the accumulators stay in registers
// over a whole column of R. Plain multiply then add (no FMA contraction in ISO C++
// mode), so every target computes bit-identical sums.
typedef double V4 __attribute__((vector_size(32)));
constexpr std::size_t kLanesPerPass = 16;
static_assert(kB % kLanesPerPass == 0);

// s[0..kB) = Σ_e values[e] · weights[users[e]][0..kB), e ascending.
__attribute__((target_clones("avx2", "default"))) void SumColumn(const std::uint32_t* users,
                                                                 const double* values,
                                                                 std::size_t n,
                                                                 const double* weights, double* s) {
  for (std::size_t lane = 0; lane < kB; lane += kLanesPerPass) {
    V4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;
    for (std::size_t e = 0; e < n; ++e) {
      const double* w = weights + std::size_t{users[e]} * kB + lane;
      const V4 r = {values[e], values[e], values[e], values[e]};
      V4 w0, w1, w2, w3;
      __builtin_memcpy(&w0, w, sizeof(V4));
      __builtin_memcpy(&w1, w + 4, sizeof(V4));
      __builtin_memcpy(&w2, w + 8, sizeof(V4));
      __builtin_memcpy(&w3, w + 12, sizeof(V4));
      a0 += r * w0;
      a1 += r * w1;
      a2 += r * w2;
      a3 += r * w3;
    }
    __builtin_memcpy(s + lane, &a0, sizeof(V4));
    __builtin_memcpy(s + lane + 4, &a1, sizeof(V4));
    __builtin_memcpy(s + lane + 8, &a2, sizeof(V4));
    __builtin_memcpy(s + lane + 12, &a3, sizeof(V4));
  }
}

}  // namespace

BlockScorer::BlockScorer(const InteractionMatrix& m, const UserBasedOptions& options,
                         const CappedTrackIndex* candidates)
    : m_(m),
      options_(options),
      neighbours_(kB),
      rankers_(kB),
      score_(m.num_tracks(), 0.0),
      track_touched_(m.num_tracks(), 0) {
  if (candidates != nullptr) {
    candidate_similarity_.emplace(m, *candidates, options);
  } else {
    similarity_.emplace(m, options);
  }
}

std::uint64_t BlockScorer::candidates_scored() const {
  return candidate_similarity_ ? candidate_similarity_->candidates_scored() : 0;
}

std::size_t BlockScorer::max_candidates() const {
  return candidate_similarity_ ? candidate_similarity_->max_candidates() : 0;
}

std::uint64_t BlockScorer::Score(std::span<const std::uint32_t> users, UserList* out) {
  std::uint64_t pairs = 0, sparse_ops = 0;
  for (std::size_t i = 0; i < users.size(); ++i) {
    const std::uint32_t u = users[i];
    Neighbours& n = neighbours_[i];
    if (candidate_similarity_) {
      candidate_similarity_->Compute(u, &n);
    } else {
      similarity_->Compute(u, &n);
    }
    pairs += n.size();
    for (const auto& [v, w] : n) sparse_ops += m_.row_offsets[v + 1] - m_.row_offsets[v];
  }
  // The dense way costs R's entries per block whatever W is: never in the bounded mode.
  const bool dense =
      !candidate_similarity_ &&
      (options_.method == ScoreMethod::kAuto ? sparse_ops * kDenseAdvantage > m_.num_entries() * kB
                                             : options_.method == ScoreMethod::kDense);
  if (dense) {
    ScoreDense(users, out);
  } else {
    for (std::size_t i = 0; i < users.size(); ++i) ScoreSparse(users[i], neighbours_[i], &out[i]);
  }
  return pairs;
}

void BlockScorer::Touch(std::uint32_t t) {
  if (!track_touched_[t]) {
    track_touched_[t] = 1;
    touched_tracks_.push_back(t);
  }
}

// score_[t] = Σ_v W[u, v] · R[v, t], v ascending, then the ranking over all tracks.
void BlockScorer::ScoreSparse(std::uint32_t u, const Neighbours& neighbours, UserList* out) {
  for (const auto& [v, w] : neighbours) {
    const auto tracks = m_.RowTracks(v);
    const auto values = m_.RowValues(v);
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      Touch(tracks[i]);
      score_[tracks[i]] += values[i] * w;
    }
  }
  if (options_.exclude_played) {
    for (std::uint32_t t : m_.RowTracks(u)) {
      Touch(t);
      score_[t] = kExcluded;
    }
  }
  TrackRanker& ranker = rankers_[0];
  ranker.Reset(options_.top_k);
  if (candidate_similarity_) {
    OfferTouchedTracks(&ranker);
  } else {
    for (std::uint32_t t = 0; t < m_.num_tracks(); ++t) ranker.Offer(score_[t], t);
  }
  out->user = m_.users[u];
  out->tracks.clear();
  out->scores.clear();
  ranker.Drain(m_, out);
  for (std::uint32_t t : touched_tracks_) {
    score_[t] = 0;
    track_touched_[t] = 0;
  }
  touched_tracks_.clear();
}

// The same top_k as offering every track: an untouched track scores exactly 0, so one
// that is not among the top_k lowest-index untouched tracks has top_k equal scores of
// lower index ahead of it and cannot be kept. Offered in ascending order, as the ranker
// requires. Cost: O((touched + top_k) log) instead of O(tracks).
void BlockScorer::OfferTouchedTracks(TrackRanker* ranker) {
  offered_tracks_ = touched_tracks_;
  std::size_t filler = 0;
  for (std::uint32_t t = 0; t < m_.num_tracks() && filler < options_.top_k; ++t) {
    if (!track_touched_[t]) {
      offered_tracks_.push_back(t);
      ++filler;
    }
  }
  std::sort(offered_tracks_.begin(), offered_tracks_.end());
  for (std::uint32_t t : offered_tracks_) ranker->Offer(score_[t], t);
}

void BlockScorer::ScoreDense(std::span<const std::uint32_t> users, UserList* out) {
  FillWeights(static_cast<std::uint32_t>(users.size()));
  scores_.resize(m_.num_tracks() * kB);
  for (std::size_t t = 0; t < m_.num_tracks(); ++t) {
    const std::uint32_t e = m_.col_offsets[t];
    SumColumn(m_.col_users.data() + e, m_.col_values.data() + e, m_.col_offsets[t + 1] - e,
              weights_.data(), scores_.data() + t * kB);
  }
  RankDense(users, out);
}

// weights_[v, i] = W[users[i], v], written in memory order: one cursor per lane walks
// that lane's (ascending) neighbour list.
void BlockScorer::FillWeights(std::uint32_t lanes) {
  weights_.resize(m_.num_users() * kB);
  std::size_t cursor[kB] = {};
  double* w = weights_.data();
  for (std::uint32_t v = 0; v < m_.num_users(); ++v, w += kB) {
    for (std::uint32_t i = 0; i < kB; ++i) {
      const Neighbours* n = i < lanes ? &neighbours_[i] : nullptr;
      if (n != nullptr && cursor[i] < n->size() && (*n)[cursor[i]].first == v) {
        w[i] = (*n)[cursor[i]++].second;
      } else {
        w[i] = 0;
      }
    }
  }
}

// Ranks every lane of scores_ in one pass over it (it is laid out by track).
void BlockScorer::RankDense(std::span<const std::uint32_t> users, UserList* out) {
  const auto n = static_cast<std::uint32_t>(users.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    rankers_[i].Reset(options_.top_k);
    if (!options_.exclude_played) continue;
    for (std::uint32_t t : m_.RowTracks(users[i])) scores_[t * kB + i] = kExcluded;
  }
  for (std::uint32_t t = 0; t < m_.num_tracks(); ++t) {
    const double* s = scores_.data() + std::size_t{t} * kB;
    for (std::uint32_t i = 0; i < n; ++i) rankers_[i].Offer(s[i], t);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    UserList& list = out[i];
    list.user = m_.users[users[i]];
    list.tracks.clear();
    list.scores.clear();
    rankers_[i].Drain(m_, &list);
  }
}

}  // namespace botify::train::ub
