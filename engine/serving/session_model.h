// A learned model of the listener's current session (docs/recommenders.md, "The session
// model"), trained by `botify train session` on shipped logs only: per track a target
// vector and bias and a context vector (the same one when tied), an artist discount, and
// a feedback rule that folds every play of the session into a fixed-size state,
//
//   S = sum over plays j of w_j * context[track_j]       (dim floats)
//   Z = sum over plays j of max(w_j, 0)                  (one float)
//   w_j = first_weight for the session's first track, else time_weight[time_j in 1/100]
//
// so a well-listened track pulls the query q = S / Z towards itself and a skip (a
// negative weight) pushes it away. With surprise_weight > 0 a play also moves q by
// surprise_weight * (y - predicted) * context[track] (y = time / gamma^k, capped at 1):
// one step of logistic regression of the session's query on what the listener just did,
// towards a track that did better than predicted, away from one that did worse.
// A candidate t scores
//
//   score(t) = dot(q, target[t]) + bias[t]
//   predicted listen time = sigmoid(score(t) + offset) * gamma^k    (k: earlier plays of
//                                                                     t's artist)
//
// Folding a play and scoring a candidate each cost O(dim), whatever the session's length.
// Memory: the tables (tracks x dim floats, twice when not tied), scoring rows (tracks x
// (dim rounded up to 8) floats) and the candidate lists (4 bytes a candidate).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/huge_page_array.h"
#include "base/ids.h"
#include "base/status.h"

namespace botify::serving {

// Listen times arrive in hundredths (docs/contracts.md §8 rounds them to two decimals),
// so the weight of a play is a table over 0.00, 0.01, ..., 1.00.
inline constexpr std::size_t kTimeSteps = 101;

// Upper bound of SessionModelTables::dim: the session state lives in every session.
inline constexpr std::uint32_t kMaxSessionModelDim = 256;

// The parameters, as trained and as stored (engine/serving/session_model_file.h).
// Thread-compatible value type.
struct SessionModelTables {
  std::uint32_t tracks = 0;    // ids 0 .. tracks - 1
  std::uint32_t dim = 0;       // in [1, kMaxSessionModelDim]
  std::vector<float> target;   // tracks x dim, row-major
  std::vector<float> bias;     // tracks
  std::vector<float> context;  // tracks x dim, or empty: tied, the target rows serve
  float offset = 0;            // added to every score before the sigmoid
  float gamma = 0.8f;          // artist discount per earlier play, in (0, 1]
  float first_weight = 1;      // w of the session's first track, > 0
  std::array<float, kTimeSteps> time_weight{};  // w of a later play by its time
  float surprise_weight = 0;                    // step of the query towards a surprise, >= 0

  bool tied() const { return context.empty(); }
  // Sizes consistent, every value finite, gamma in (0, 1], first_weight > 0.
  Status Validate() const;
};

// Index of a listen time in SessionModelTables::time_weight: round(time * 100), clamped.
inline std::size_t TimeStep(double time) {
  if (!(time > 0)) return 0;
  if (time >= 1) return kTimeSteps - 1;
  return static_cast<std::size_t>(std::lround(time * 100));
}

// Every track's candidates (the index's lists keyed by track), held beside the model so
// that a request reads them in place: track t's list is ids[offsets[t], offsets[t + 1]).
// Thread-compatible value type.
struct CandidateLists {
  std::vector<std::uint64_t> offsets;  // tracks + 1 values, or empty: no lists
  std::vector<TrackId> ids;

  // Builds the arrays from per-track lists (lists.size() tracks; missing ones empty).
  static CandidateLists FromLists(const std::vector<std::vector<TrackId>>& lists);
};

// Thread-safe: immutable after construction.
class SessionModel {
 public:
  // Preconditions: tables.Validate() is ok; `candidates` is empty or covers tables.tracks
  // tracks with ids below it.
  explicit SessionModel(SessionModelTables tables, CandidateLists candidates = {});
  SessionModel(const SessionModel&) = delete;
  SessionModel& operator=(const SessionModel&) = delete;

  // Unique to this object in the process (never reused, unlike its address): tags the
  // sessions' states built by it (SessionState::ModelState).
  std::uint64_t id() const { return id_; }
  std::uint32_t tracks() const { return t_.tracks; }
  std::uint32_t dim() const { return t_.dim; }
  const SessionModelTables& tables() const { return t_; }

  // Floats of one session's state: S (dim), Z, then zeros up to a multiple of 8 (so that
  // S, read as dim rounded up to 8 floats, is the query of the scoring rows below).
  std::size_t state_size() const { return state_size_; }
  // Resets `state` to a session that began with `first`. Precondition: first < tracks().
  void Start(TrackId first, std::span<float> state) const;
  // Folds a later play of `track` (a share `time` listened, `artist_plays` earlier plays
  // of its artist in the session) into `state`.
  void Observe(TrackId track, double time, std::uint32_t artist_plays,
               std::span<float> state) const;

  // What scoring needs of a state: the query S / Z (Z > 0 always: the first track's
  // weight is positive and later weights only add to it).
  struct Query {
    const float* sum;
    float inverse_z;
  };
  Query QueryOf(std::span<const float> state) const { return {state.data(), 1.0f / state[t_.dim]}; }
  // score(t) = dot(q, target[t]) + bias[t]. Precondition: t < tracks().
  float Score(const Query& query, TrackId t) const;
  // out[i] = Score(query, ids[i]) up to rounding, vectorized (engine/serving/dot_rows.h).
  // Preconditions: every id < tracks(); `out` holds ids.size() floats.
  void ScoreAll(const Query& query, std::span<const TrackId> ids, float* out) const;
  // The candidates after track t (empty if none). Precondition: t < tracks().
  std::span<const TrackId> Candidates(TrackId t) const {
    if (candidate_offsets_.size() == 0) return {};
    return {candidate_ids_.data() + candidate_offsets_[t],
            candidate_ids_.data() + candidate_offsets_[t + 1]};
  }

  // sigmoid(score + offset) * gamma^artist_plays.
  double PredictTime(float score, std::uint32_t artist_plays) const;
  // gamma^artist_plays: the most a track of an artist with that many plays can score.
  double Discount(std::uint32_t artist_plays) const {
    return artist_plays < gamma_power_.size()
               ? gamma_power_[artist_plays]
               : std::pow(static_cast<double>(t_.gamma), artist_plays);
  }
  // The score below which a candidate's predicted time (at any artist count) cannot
  // exceed `time` in (0, 1): candidates under it need no further look. -inf for time <= 0.
  float ScoreBound(double time) const;

 private:
  const float* ContextRow(TrackId t) const {
    return (t_.tied() ? t_.target.data() : t_.context.data()) + std::size_t{t} * t_.dim;
  }
  void Fold(TrackId track, float weight, std::span<float> state) const;

  const SessionModelTables t_;
  const std::uint64_t id_;
  std::size_t state_size_;
  // Scoring rows: per track target[t], then zeros up to row_stride_ (dim rounded up to 8)
  // floats, starting on a cache line (base/huge_page_array.h): a request reads a few hundred rows
  // scattered over the table, so its cost is the lines it touches (two for a 32-dim row; bias[t]
  // comes from t_.bias, a table small enough to stay in cache). The query's floats past dim (Z,
  // zeros) meet the rows' zeros.
  std::size_t row_stride_;
  HugePageArray<float> scoring_;
  // CandidateLists' arrays, where a request reads them at random like the rows.
  HugePageArray<std::uint64_t> candidate_offsets_;
  HugePageArray<TrackId> candidate_ids_;
  // gamma^k for the artist counts a session usually reaches.
  std::array<double, 64> gamma_power_;
};

}  // namespace botify::serving
