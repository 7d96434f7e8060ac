#include "engine/serving/session_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>

#include "engine/serving/dot_rows.h"

namespace botify::serving {
namespace {

bool AllFinite(std::span<const float> values) {
  return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

}  // namespace

Status SessionModelTables::Validate() const {
  if (tracks == 0) return Status::InvalidArgument("session model: no tracks");
  if (dim == 0 || dim > kMaxSessionModelDim) {
    return Status::InvalidArgument(
        fmt::format("session model: dim {} outside [1, {}]", dim, kMaxSessionModelDim));
  }
  const std::size_t rows = std::size_t{tracks} * dim;
  if (target.size() != rows || bias.size() != tracks ||
      (!context.empty() && context.size() != rows)) {
    return Status::InvalidArgument(
        fmt::format("session model: table sizes (target {}, bias {}, context {}) do not fit {} "
                    "tracks x {} dims",
                    target.size(), bias.size(), context.size(), tracks, dim));
  }
  if (!AllFinite(target) || !AllFinite(bias) || !AllFinite(context) || !AllFinite(time_weight) ||
      !std::isfinite(offset)) {
    return Status::InvalidArgument("session model: a value is not finite");
  }
  if (!(surprise_weight >= 0) || !std::isfinite(surprise_weight)) {
    return Status::InvalidArgument(
        fmt::format("session model: surprise_weight {} must be >= 0", surprise_weight));
  }
  if (!(gamma > 0 && gamma <= 1)) {
    return Status::InvalidArgument(fmt::format("session model: gamma {} outside (0, 1]", gamma));
  }
  if (!(first_weight > 0) || !std::isfinite(first_weight)) {
    return Status::InvalidArgument(
        fmt::format("session model: first_weight {} must be positive", first_weight));
  }
  return Status::Ok();
}

CandidateLists CandidateLists::FromLists(const std::vector<std::vector<TrackId>>& lists) {
  CandidateLists out;
  out.offsets.reserve(lists.size() + 1);
  out.offsets.push_back(0);
  for (const auto& list : lists) {
    out.ids.insert(out.ids.end(), list.begin(), list.end());
    out.offsets.push_back(out.ids.size());
  }
  return out;
}

SessionModel::SessionModel(SessionModelTables tables, CandidateLists candidates)
    : t_(std::move(tables)),
      id_([] {
        static std::atomic<std::uint64_t> next{1};
        return next.fetch_add(1, std::memory_order_relaxed);
      }()),
      state_size_((t_.dim + 1 + 7) / 8 * 8),
      row_stride_((t_.dim + 7) / 8 * 8),
      scoring_(std::size_t{t_.tracks} * row_stride_),
      candidate_offsets_(candidates.offsets.size()),
      candidate_ids_(candidates.ids.size()) {
  for (std::size_t t = 0; t < t_.tracks; ++t) {
    std::copy_n(t_.target.data() + t * t_.dim, t_.dim, scoring_.data() + t * row_stride_);
  }
  std::copy(candidates.offsets.begin(), candidates.offsets.end(), candidate_offsets_.data());
  std::copy(candidates.ids.begin(), candidates.ids.end(), candidate_ids_.data());
  for (std::size_t k = 0; k < gamma_power_.size(); ++k) {
    gamma_power_[k] = std::pow(static_cast<double>(t_.gamma), static_cast<double>(k));
  }
}

void SessionModel::Fold(TrackId track, float weight, std::span<float> state) const {
  const float* row = ContextRow(track);
  for (std::uint32_t i = 0; i < t_.dim; ++i) state[i] += weight * row[i];
  state[t_.dim] += std::max(weight, 0.0f);
}

void SessionModel::Start(TrackId first, std::span<float> state) const {
  std::fill(state.begin(), state.end(), 0.0f);
  Fold(first, t_.first_weight, state);
}

void SessionModel::Observe(TrackId track, double time, std::uint32_t artist_plays,
                           std::span<float> state) const {
  if (t_.surprise_weight > 0) {
    const double predicted = PredictTime(Score(QueryOf(state), track), 0);
    const double discount = std::pow(static_cast<double>(t_.gamma), artist_plays);
    const double y = std::min(1.0, time / discount);
    // A step of q = S / Z is a step of S scaled by Z; Z stays.
    const float z = state[t_.dim];
    const float* row = ContextRow(track);
    const auto step = static_cast<float>(t_.surprise_weight * (y - predicted)) * z;
    for (std::uint32_t i = 0; i < t_.dim; ++i) state[i] += step * row[i];
  }
  const float weight = t_.time_weight[TimeStep(time)];
  if (weight != 0) Fold(track, weight, state);
}

float SessionModel::Score(const Query& query, TrackId t) const {
  float score = 0;
  ScoreAll(query, std::span<const TrackId>(&t, 1), &score);
  return score;
}

void SessionModel::ScoreAll(const Query& query, std::span<const TrackId> ids, float* out) const {
  DotRows(query.sum, row_stride_, scoring_.data(), ids, query.inverse_z, t_.bias.data(), out);
}

double SessionModel::PredictTime(float score, std::uint32_t artist_plays) const {
  const double p = 1.0 / (1.0 + std::exp(-(static_cast<double>(score) + t_.offset)));
  return p * Discount(artist_plays);
}

float SessionModel::ScoreBound(double time) const {
  if (!(time > 0)) return -std::numeric_limits<float>::infinity();
  if (time >= 1) return std::numeric_limits<float>::infinity();
  return static_cast<float>(std::log(time / (1 - time)) - t_.offset);
}

}  // namespace botify::serving
