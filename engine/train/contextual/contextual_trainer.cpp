#include "engine/train/contextual/contextual_trainer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "base/random.h"

namespace botify::train::contextual {
namespace {

// Tracks per group = tracks / kGroups; 8 groups keep 2..4 workers busy in every round.
constexpr std::size_t kGroups = 8;

// The group of every track: id % kGroups, or its artist's id % kGroups when artists are
// shared (a block must own every artist vector its tracks touch).
struct Grouping {
  std::vector<std::uint8_t> group_of;           // by track
  std::vector<std::vector<TrackId>> tracks_of;  // by group, ascending

  Grouping(std::size_t tracks, std::span<const ArtistId> artist_of) : tracks_of(kGroups) {
    for (std::size_t t = 0; t < tracks; ++t) {
      const std::size_t key = artist_of.empty() ? t : artist_of[t];
      group_of.push_back(static_cast<std::uint8_t>(key % kGroups));
      tracks_of[group_of.back()].push_back(static_cast<TrackId>(t));
    }
  }
  // Block of a pair: ordered (context group, target group), or unordered when tied (a
  // pair then touches one table twice).
  std::size_t BlockOf(const ContextPair& p, bool tied) const {
    std::size_t a = group_of[p.context];
    std::size_t b = group_of[p.target];
    if (tied && a > b) std::swap(a, b);
    return a * kGroups + b;
  }
};

// Rounds of blocks that share no group of either table.
std::vector<std::vector<std::size_t>> Schedule(bool tied) {
  std::vector<std::vector<std::size_t>> rounds;
  if (!tied) {
    for (std::size_t r = 0; r < kGroups; ++r) {
      auto& round = rounds.emplace_back();
      for (std::size_t g = 0; g < kGroups; ++g) round.push_back(g * kGroups + (g + r) % kGroups);
    }
    return rounds;
  }
  // Round-robin tournament (circle method) over kGroups groups, plus the diagonal.
  const std::size_t m = kGroups - 1;
  for (std::size_t r = 0; r < m; ++r) {
    auto& round = rounds.emplace_back();
    auto add = [&](std::size_t a, std::size_t b) {
      round.push_back(std::min(a, b) * kGroups + std::max(a, b));
    };
    add(m, r);
    for (std::size_t i = 1; i < kGroups / 2; ++i) add((r + i) % m, (r + m - i) % m);
  }
  auto& diagonal = rounds.emplace_back();
  for (std::size_t g = 0; g < kGroups; ++g) diagonal.push_back(g * kGroups + g);
  return rounds;
}

// The trainable tables: per-track vectors plus, with shared artists, per-artist vectors
// added to them. A tied model's target pointers alias the context ones.
struct Tables {
  std::vector<float> context, target, context_artist, target_artist;
  float* ctx = nullptr;
  float* tgt = nullptr;
  float* ctx_artist = nullptr;  // null without shared artists
  float* tgt_artist = nullptr;
};

// The SGD state and one step. Thread-compatible; rounds make concurrent use race-free.
class Sgd {
 public:
  Sgd(ContextualModel* model, Tables* tables, const Grouping* grouping,
      std::span<const ArtistId> artist_of, const ContextualOptions& options)
      : m_(*model), tables_(*tables), grouping_(*grouping), artist_of_(artist_of), o_(options) {}

  // The full vector of track t (track row + artist row) into out.
  void Full(const float* track_table, const float* artist_table, TrackId t, float* out) const {
    const float* row = track_table + t * m_.dim;
    std::copy(row, row + m_.dim, out);
    if (artist_table == nullptr) return;
    const float* a = artist_table + artist_of_[t] * m_.dim;
    for (std::size_t d = 0; d < m_.dim; ++d) out[d] += a[d];
  }

  // One step on (c, t) towards `y`; returns the squared error before the step.
  float Step(TrackId c, TrackId t, float y, float weight) {
    float cv[kMaxDim], tv[kMaxDim];
    Full(tables_.ctx, tables_.ctx_artist, c, cv);
    Full(tables_.tgt, tables_.tgt_artist, t, tv);
    float pred = m_.mean_time + m_.context_bias[c] + m_.target_bias[t];
    for (std::size_t d = 0; d < m_.dim; ++d) pred += cv[d] * tv[d];
    const float err = pred - y;
    const float g = weight * err;
    const float lr = o_.learning_rate;
    m_.context_bias[c] -= lr * (g + o_.l2 * m_.context_bias[c]);
    m_.target_bias[t] -= lr * (g + o_.l2 * m_.target_bias[t]);
    Update(tables_.ctx + c * m_.dim, g, tv);
    Update(tables_.tgt + t * m_.dim, g, cv);
    if (tables_.ctx_artist != nullptr) {
      UpdateArtist(tables_.ctx_artist + artist_of_[c] * m_.dim, g, tv);
      UpdateArtist(tables_.tgt_artist + artist_of_[t] * m_.dim, g, cv);
    }
    return err * err;
  }

  // One pass over a block's pairs (shuffled in place) with negatives; returns the sum of
  // the observed pairs' squared errors.
  double RunBlock(std::vector<ContextPair>& pairs, Rng& rng) {
    for (std::size_t i = pairs.size(); i > 1; --i) std::swap(pairs[i - 1], pairs[rng.Uniform(i)]);
    double sum = 0;
    for (const ContextPair& p : pairs) {
      sum += Step(p.context, p.target, p.time, 1.0f);
      const auto& group = grouping_.tracks_of[grouping_.group_of[p.target]];
      for (std::size_t k = 0; k < o_.negatives; ++k) {
        const TrackId j = group[rng.Uniform(group.size())];
        if (j == p.context || j == p.target) continue;
        Step(p.context, j, 0.0f, o_.negative_weight);
      }
    }
    return sum;
  }

 private:
  void Update(float* row, float g, const float* other) const {
    for (std::size_t d = 0; d < m_.dim; ++d)
      row[d] -= o_.learning_rate * (g * other[d] + o_.l2 * row[d]);
  }
  void UpdateArtist(float* row, float g, const float* other) const {
    for (std::size_t d = 0; d < m_.dim; ++d) {
      row[d] -= o_.learning_rate * (g * other[d] + o_.artist_l2 * row[d]);
    }
  }

  ContextualModel& m_;
  Tables& tables_;
  const Grouping& grouping_;
  std::span<const ArtistId> artist_of_;
  const ContextualOptions& o_;
};

// Biases, candidates, trained contexts and the initial tables. Without shared artists the
// track rows start random; with them the artist rows start random and the track rows at
// 0, so a track without pairs scores as its artist.
ContextualModel InitialModel(std::span<const ContextPair> train, std::size_t tracks,
                             std::span<const ArtistId> artist_of, const ContextualOptions& options,
                             Tables* tables) {
  ContextualModel m;
  m.tracks = tracks;
  m.dim = options.dim;
  Rng rng(options.seed);
  const bool artists = !artist_of.empty();
  const std::size_t artist_count =
      artists ? std::size_t{*std::max_element(artist_of.begin(), artist_of.end())} + 1 : 0;
  auto fill = [&](std::vector<float>& v, std::size_t rows, bool random) {
    v.assign(rows * options.dim, 0.0f);
    if (!random) return;
    for (float& x : v) x = (2 * rng.UniformFloat() - 1) * options.init_scale;
  };
  fill(tables->context, tracks, !artists);
  if (artists) fill(tables->context_artist, artist_count, true);
  if (!options.tied) {
    fill(tables->target, tracks, !artists);
    if (artists) fill(tables->target_artist, artist_count, true);
  }
  tables->ctx = tables->context.data();
  tables->tgt = options.tied ? tables->ctx : tables->target.data();
  if (artists) {
    tables->ctx_artist = tables->context_artist.data();
    tables->tgt_artist = options.tied ? tables->ctx_artist : tables->target_artist.data();
  }
  m.target_bias.assign(tracks, 0.0f);
  m.context_bias.assign(tracks, 0.0f);
  // With shared artists, a role is trained for every track of an artist seen in it.
  std::vector<bool> context_artist(artist_count), target_artist(artist_count);
  m.seen_target.assign(tracks, false);
  m.trained_context.assign(tracks, false);
  double sum = 0;
  for (const ContextPair& p : train) {
    sum += p.time;
    m.seen_target[p.target] = true;
    m.trained_context[p.context] = true;
    if (options.tied) m.trained_context[p.target] = true;
    if (artists) {
      context_artist[artist_of[p.context]] = true;
      target_artist[artist_of[p.target]] = true;
      if (options.tied) context_artist[artist_of[p.target]] = true;
    }
  }
  for (std::size_t t = 0; artists && t < tracks; ++t) {
    if (target_artist[artist_of[t]]) m.seen_target[t] = true;
    if (context_artist[artist_of[t]]) m.trained_context[t] = true;
  }
  m.mean_time = static_cast<float>(sum / static_cast<double>(train.size()));
  return m;
}

// Writes the full vectors (track + artist rows) into the model.
void Finalize(const Sgd& sgd, const Tables& tables, ContextualModel* m) {
  m->context.resize(m->tracks * m->dim);
  m->target.resize(m->tracks * m->dim);
  for (TrackId t = 0; t < m->tracks; ++t) {
    sgd.Full(tables.ctx, tables.ctx_artist, t, &m->context[t * m->dim]);
    sgd.Full(tables.tgt, tables.tgt_artist, t, &m->target[t * m->dim]);
  }
}

Status CheckPairs(std::span<const ContextPair> pairs, std::size_t tracks, const char* what) {
  for (const ContextPair& p : pairs) {
    if (p.context >= tracks || p.target >= tracks) {
      return Status::InvalidArgument(std::string(what) + " pair (" + std::to_string(p.context) +
                                     ", " + std::to_string(p.target) + ") is outside the " +
                                     std::to_string(tracks) + " tracks");
    }
  }
  return Status::Ok();
}

// Runs every block of `round` on up to `threads` workers.
void RunRound(const std::vector<std::size_t>& round, int threads,
              const std::function<void(std::size_t block)>& run) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < round.size(); i = next++) run(round[i]);
  };
  const auto n = std::min<std::size_t>(static_cast<std::size_t>(threads), round.size());
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < n; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

}  // namespace

double Rmse(const ContextualModel& model, std::span<const ContextPair> pairs) {
  if (pairs.empty()) return 0;
  double sum = 0;
  for (const ContextPair& p : pairs) {
    const double err = model.PredictTime(p.context, p.target) - p.time;
    sum += err * err;
  }
  return std::sqrt(sum / static_cast<double>(pairs.size()));
}

Result<ContextualModel> TrainContextual(std::span<const ContextPair> train,
                                        std::span<const ContextPair> validation, std::size_t tracks,
                                        const ContextualOptions& options,
                                        const EpochCallback& on_epoch,
                                        std::span<const ArtistId> artist_of) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (train.empty()) return Status::InvalidArgument("no training pairs");
  if (!artist_of.empty() && artist_of.size() != tracks) {
    return Status::InvalidArgument("artist_of has " + std::to_string(artist_of.size()) +
                                   " tracks, the model " + std::to_string(tracks));
  }
  BOTIFY_RETURN_IF_ERROR(CheckPairs(train, tracks, "training"));
  BOTIFY_RETURN_IF_ERROR(CheckPairs(validation, tracks, "validation"));
  Tables tables;
  ContextualModel model = InitialModel(train, tracks, artist_of, options, &tables);
  const Grouping grouping(tracks, artist_of);
  std::vector<std::vector<ContextPair>> blocks(kGroups * kGroups);
  for (const ContextPair& p : train) blocks[grouping.BlockOf(p, options.tied)].push_back(p);
  auto rounds = Schedule(options.tied);
  Sgd sgd(&model, &tables, &grouping, artist_of, options);
  std::vector<double> block_error(blocks.size());
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    Rng order = Rng::ForStream(options.seed, epoch);
    for (std::size_t i = rounds.size(); i > 1; --i)
      std::swap(rounds[i - 1], rounds[order.Uniform(i)]);
    for (const auto& round : rounds) {
      RunRound(round, options.threads, [&](std::size_t block) {
        Rng rng = Rng::ForStream(options.seed, epoch * blocks.size() + block + 1000);
        block_error[block] = sgd.RunBlock(blocks[block], rng);
      });
    }
    if (!validation.empty()) Finalize(sgd, tables, &model);
    const double sum = std::accumulate(block_error.begin(), block_error.end(), 0.0);
    EpochReport report{epoch, options.epochs, std::sqrt(sum / static_cast<double>(train.size())),
                       Rmse(model, validation)};
    if (on_epoch) on_epoch(report);
  }
  Finalize(sgd, tables, &model);
  return model;
}

}  // namespace botify::train::contextual
