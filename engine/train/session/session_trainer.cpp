#include "engine/train/session/session_trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/random.h"

namespace botify::train::session {
namespace {

// Keeps a prediction off 0 and 1 so that the cross-entropy and its gradient stay finite.
constexpr double kEpsilon = 1e-6;

// The plays of one session in order, as both training and evaluation see them: which
// are repeats (never targets, never folded) and how often each artist played before.
// Thread-compatible; reused across sessions.
class SessionWalk {
 public:
  explicit SessionWalk(std::span<const ArtistId> artist_of) : artist_of_(artist_of) {}

  void Begin(TrackId first) {
    played_.assign(1, first);
    artists_.clear();
    CountArtist(first);
  }
  // Returns false for a repeat; otherwise the earlier plays of the track's artist in *k.
  // Either way the play is counted (a repeat is a play of its artist, docs/contracts.md §8).
  bool Next(TrackId track, std::uint32_t* k) {
    const bool repeat = std::find(played_.begin(), played_.end(), track) != played_.end();
    *k = CountArtist(track);
    played_.push_back(track);
    return !repeat;
  }

 private:
  std::uint32_t CountArtist(TrackId track) {
    const ArtistId artist = artist_of_[track];
    for (auto& [a, n] : artists_) {
      if (a == artist) return n++;
    }
    artists_.push_back({artist, 1});
    return 0;
  }

  std::span<const ArtistId> artist_of_;
  std::vector<TrackId> played_;  // sessions are short: linear scans
  std::vector<std::pair<ArtistId, std::uint32_t>> artists_;
};

double CrossEntropy(double time, double p) {
  p = std::clamp(p, kEpsilon, 1 - kEpsilon);
  return -(time * std::log(p) + (1 - time) * std::log(1 - p));
}

struct FitSums {
  double log_loss = 0, squared = 0;
  std::size_t targets = 0;
  void Add(double time, double p) {
    log_loss += CrossEntropy(time, p);
    squared += (p - time) * (p - time);
    ++targets;
  }
  SessionFit Fit() const {
    if (targets == 0) return {};
    return {targets, log_loss / targets, std::sqrt(squared / targets)};
  }
};

Status CheckTracks(const ListeningSessions& sessions, std::size_t tracks, const char* what) {
  for (TrackId t : sessions.tracks) {
    if (t >= tracks) {
      return Status::InvalidArgument(fmt::format(
          "{} sessions play track {}, outside the catalog ({} tracks)", what, t, tracks));
    }
  }
  return Status::Ok();
}

// The trainable parameters: per track a row (and a context row when not tied) plus, with
// shared artists, per artist the same; a track's vector is the sum of its row and its
// artist's. Single-threaded SGD.
class Trainer {
 public:
  Trainer(std::span<const ArtistId> artist_of, std::size_t artists,
          const SessionTrainOptions& options)
      : o_(options),
        d_(options.dim),
        artist_of_(artist_of),
        tracks_(artist_of.size()),
        weights_(options.TimeWeights()),
        rng_(options.seed) {
    auto init = [&](std::vector<float>* rows, std::size_t n) {
      rows->resize(n * d_);
      for (float& v : *rows) v = (rng_.UniformFloat() * 2 - 1) * o_.init_scale;
    };
    init(&track_rows_, tracks_);
    if (!o_.tied) init(&context_rows_, tracks_);
    if (o_.share_artists) {
      init(&artist_rows_, artists);
      if (!o_.tied) init(&artist_context_rows_, artists);
      artist_bias_.assign(artists, 0.0f);
    }
    bias_.assign(tracks_, 0.0f);
    target_.resize(d_);
    grad_.resize(d_);
    sum_.resize(d_);
    context_.resize(d_);
  }

  void SetOffset(double mean_time) {
    const double m = std::clamp(mean_time, 0.01, 0.99);
    offset_ = static_cast<float>(std::log(m / (1 - m)));
  }

  // One pass over `sessions` in a seeded random order; returns the fit as seen.
  SessionFit Epoch(const ListeningSessions& sessions) {
    std::vector<std::size_t> order(sessions.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.Uniform(i)]);
    FitSums fit;
    SessionWalk walk(artist_of_);
    for (std::size_t s : order) Session(sessions.Tracks(s), sessions.Times(s), &walk, &fit);
    return fit.Fit();
  }

  TrainedSessionModel Finish(const ListeningSessions& train) const {
    TrainedSessionModel out;
    auto& t = out.tables;
    t.tracks = static_cast<std::uint32_t>(tracks_);
    t.dim = static_cast<std::uint32_t>(d_);
    t.target.resize(tracks_ * d_);
    t.bias.resize(tracks_);
    if (!o_.tied) t.context.resize(tracks_ * d_);
    for (TrackId track = 0; track < tracks_; ++track) {
      Compose(track_rows_, artist_rows_, track, &t.target[track * d_]);
      if (!o_.tied) Compose(context_rows_, artist_context_rows_, track, &t.context[track * d_]);
      t.bias[track] = Bias(track);
    }
    t.offset = offset_;
    t.gamma = std::clamp(static_cast<float>(std::exp(log_gamma_)), 0.01f, 1.0f);
    t.first_weight = o_.first_weight;
    t.surprise_weight = o_.surprise_weight;
    t.time_weight = weights_;
    out.trained_target.assign(tracks_, false);
    std::vector<bool> artist_seen(artist_bias_.size(), false);
    for (std::size_t s = 0; s < train.size(); ++s) {
      const auto tracks = train.Tracks(s);
      for (std::size_t i = 1; i < tracks.size(); ++i) {
        out.trained_target[tracks[i]] = true;
        if (o_.share_artists) artist_seen[artist_of_[tracks[i]]] = true;
      }
    }
    if (o_.share_artists) {
      for (TrackId track = 0; track < tracks_; ++track) {
        if (artist_seen[artist_of_[track]]) out.trained_target[track] = true;
      }
    }
    return out;
  }

 private:
  float Weight(double time) const { return weights_[serving::TimeStep(time)]; }
  float Bias(TrackId t) const {
    return bias_[t] + (o_.share_artists ? artist_bias_[artist_of_[t]] : 0.0f);
  }
  void Compose(const std::vector<float>& rows, const std::vector<float>& artist_rows, TrackId t,
               float* out) const {
    const float* row = &rows[t * d_];
    for (std::size_t i = 0; i < d_; ++i) out[i] = row[i];
    if (!o_.share_artists) return;
    const float* a = &artist_rows[artist_of_[t] * d_];
    for (std::size_t i = 0; i < d_; ++i) out[i] += a[i];
  }
  void ComposeContext(TrackId t, float* out) const {
    if (o_.tied) return Compose(track_rows_, artist_rows_, t, out);
    Compose(context_rows_, artist_context_rows_, t, out);
  }
  // rows[t] -= lr * (scale * direction + l2 * rows[t]), and the artist's row likewise.
  void Step(std::vector<float>& rows, std::vector<float>& artist_rows, TrackId t, float scale,
            const float* direction) {
    const float lr = o_.learning_rate;
    float* row = &rows[t * d_];
    for (std::size_t i = 0; i < d_; ++i) row[i] -= lr * (scale * direction[i] + o_.l2 * row[i]);
    if (!o_.share_artists) return;
    float* a = &artist_rows[artist_of_[t] * d_];
    for (std::size_t i = 0; i < d_; ++i) a[i] -= lr * (scale * direction[i] + o_.artist_l2 * a[i]);
  }
  void StepContext(TrackId t, float scale, const float* direction) {
    if (o_.tied) return Step(track_rows_, artist_rows_, t, scale, direction);
    Step(context_rows_, artist_context_rows_, t, scale, direction);
  }
  // S += weight * context[t]; Z += max(weight, 0) if `count` (a surprise step moves the
  // query without adding to Z).
  void Fold(TrackId t, float weight, bool count) {
    ComposeContext(t, context_.data());
    for (std::size_t i = 0; i < d_; ++i) sum_[i] += weight * context_[i];
    if (count) z_ += std::max(weight, 0.0f);
    folded_.push_back({t, weight});
  }

  void Session(std::span<const TrackId> tracks, std::span<const float> times, SessionWalk* walk,
               FitSums* fit) {
    std::fill(sum_.begin(), sum_.end(), 0.0f);
    z_ = 0;
    folded_.clear();
    walk->Begin(tracks[0]);
    Fold(tracks[0], o_.first_weight, /*count=*/true);
    for (std::size_t i = 1; i < tracks.size(); ++i) {
      std::uint32_t k = 0;
      if (!walk->Next(tracks[i], &k)) continue;
      const double predicted = Target(tracks[i], times[i], k, fit);
      // The serving state's step (SessionModel::Observe), its size taken as given: the
      // gradient reaches the played track's row through its place in later queries.
      if (o_.surprise_weight > 0) {
        const double y = std::min(1.0, times[i] / std::exp(log_gamma_ * k));
        Fold(tracks[i], static_cast<float>(o_.surprise_weight * (y - predicted)) * z_,
             /*count=*/false);
      }
      if (const float w = Weight(times[i]); w != 0) Fold(tracks[i], w, /*count=*/true);
    }
  }

  // One SGD step on the play of `t`; returns its prediction at k = 0 (before the step).
  double Target(TrackId t, double time, std::uint32_t k, FitSums* fit) {
    Compose(track_rows_, artist_rows_, t, target_.data());
    const float inverse_z = 1.0f / z_;
    float dot = 0;
    for (std::size_t i = 0; i < d_; ++i) dot += sum_[i] * target_[i];
    const double score = dot * inverse_z + Bias(t) + offset_;
    const double sigma = 1.0 / (1.0 + std::exp(-score));
    const double discount = std::exp(log_gamma_ * k);
    const double p = std::clamp(sigma * discount, kEpsilon, 1 - kEpsilon);
    fit->Add(time, p);
    // d(cross-entropy)/d(score) = (p - time) / (p (1 - p)) * sigma (1 - sigma) gamma^k.
    const auto g = static_cast<float>((p - time) * (1 - sigma) / (1 - p));
    const auto g_log_gamma = (p - time) * k / (1 - p);
    // The target's row moves along the query; every folded context row along the target.
    for (std::size_t i = 0; i < d_; ++i) grad_[i] = sum_[i] * inverse_z;
    Step(track_rows_, artist_rows_, t, g, grad_.data());
    for (const auto& [c, w] : folded_) StepContext(c, g * w * inverse_z, target_.data());
    const float lr = o_.learning_rate;
    bias_[t] -= lr * (g + o_.l2 * bias_[t]);
    if (o_.share_artists) {
      float& ab = artist_bias_[artist_of_[t]];
      ab -= lr * (g + o_.artist_l2 * ab);
    }
    // Global parameters see every play: a smaller step keeps them from jittering.
    offset_ -= 0.01f * lr * g;
    log_gamma_ = std::min(0.0, log_gamma_ - 0.01 * lr * g_log_gamma);
    return sigma;
  }

  const SessionTrainOptions o_;
  const std::size_t d_;
  const std::span<const ArtistId> artist_of_;
  const std::size_t tracks_;
  const std::array<float, serving::kTimeSteps> weights_;
  Rng rng_;
  std::vector<float> track_rows_, context_rows_, artist_rows_, artist_context_rows_;
  std::vector<float> bias_, artist_bias_;
  float offset_ = 0;
  double log_gamma_ = std::log(0.9);  // the artist discount starts mild; the logs set it
  // Per session.
  std::vector<float> sum_, context_, target_, grad_;
  float z_ = 0;
  std::vector<std::pair<TrackId, float>> folded_;
};

}  // namespace

SessionFit EvaluateSessionModel(const serving::SessionModel& model,
                                const ListeningSessions& sessions,
                                std::span<const ArtistId> artist_of) {
  FitSums fit;
  SessionWalk walk(artist_of);
  std::vector<float> state(model.state_size());
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const auto tracks = sessions.Tracks(s);
    const auto times = sessions.Times(s);
    walk.Begin(tracks[0]);
    model.Start(tracks[0], state);
    for (std::size_t i = 1; i < tracks.size(); ++i) {
      std::uint32_t k = 0;
      if (!walk.Next(tracks[i], &k)) continue;
      const float score = model.Score(model.QueryOf(state), tracks[i]);
      fit.Add(times[i], model.PredictTime(score, k));
      model.Observe(tracks[i], times[i], k, state);
    }
  }
  return fit.Fit();
}

Result<TrainedSessionModel> TrainSessionModel(const ListeningSessions& train,
                                              const ListeningSessions& validation,
                                              std::span<const ArtistId> artist_of,
                                              const SessionTrainOptions& options,
                                              const SessionEpochCallback& on_epoch) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (artist_of.empty()) return Status::InvalidArgument("the catalog has no tracks");
  BOTIFY_RETURN_IF_ERROR(CheckTracks(train, artist_of.size(), "training"));
  BOTIFY_RETURN_IF_ERROR(CheckTracks(validation, artist_of.size(), "validation"));
  double time_sum = 0;
  std::size_t targets = 0;
  for (std::size_t s = 0; s < train.size(); ++s) {
    const auto times = train.Times(s);
    for (std::size_t i = 1; i < times.size(); ++i, ++targets) time_sum += times[i];
  }
  if (targets == 0) {
    return Status::InvalidArgument("no plays after a session's first track to learn from");
  }
  const std::size_t artists =
      *std::max_element(artist_of.begin(), artist_of.end()) + std::size_t{1};
  Trainer trainer(artist_of, artists, options);
  trainer.SetOffset(time_sum / targets);
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    SessionEpochReport report;
    report.epoch = epoch;
    report.epochs = options.epochs;
    report.train = trainer.Epoch(train);
    if (validation.size() > 0 && on_epoch) {
      const serving::SessionModel model(trainer.Finish(train).tables);
      report.validation = EvaluateSessionModel(model, validation, artist_of);
    }
    if (on_epoch) on_epoch(report);
  }
  return trainer.Finish(train);
}

}  // namespace botify::train::session
