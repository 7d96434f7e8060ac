#include "engine/train/contextual/contextual_trainer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "engine/random.h"

namespace botify::contextual {
namespace {

// Tracks per group = tracks / kGroups; 8 groups keep 2..4 workers busy in every round.
constexpr std::size_t kGroups = 8;

std::size_t GroupOf(TrackId t) { return t % kGroups; }

// Block of a pair: ordered (context group, target group), or unordered when tied (a
// pair then touches one table twice).
std::size_t BlockOf(const ContextPair& p, bool tied) {
  std::size_t a = GroupOf(p.context);
  std::size_t b = GroupOf(p.target);
  if (tied && a > b) std::swap(a, b);
  return a * kGroups + b;
}

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

// The SGD state and one step. Thread-compatible; rounds make concurrent use race-free.
class Sgd {
 public:
  Sgd(ContextualModel* model, const ContextualOptions& options)
      : m_(*model),
        o_(options),
        target_(options.tied ? model->context.data() : model->target.data()) {}

  // One step on (c, t) towards `y`; returns the squared error before the step.
  float Step(TrackId c, TrackId t, float y, float weight) {
    float* cv = &m_.context[c * m_.dim];
    float* tv = &target_[t * m_.dim];
    float pred = m_.mean_time + m_.context_bias[c] + m_.target_bias[t];
    for (std::size_t d = 0; d < m_.dim; ++d) pred += cv[d] * tv[d];
    const float err = pred - y;
    const float g = weight * err;
    const float lr = o_.learning_rate;
    const float l2 = o_.l2;
    m_.context_bias[c] -= lr * (g + l2 * m_.context_bias[c]);
    m_.target_bias[t] -= lr * (g + l2 * m_.target_bias[t]);
    for (std::size_t d = 0; d < m_.dim; ++d) {
      const float cd = cv[d];
      const float td = tv[d];
      cv[d] -= lr * (g * td + l2 * cd);
      tv[d] -= lr * (g * cd + l2 * td);
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
      const std::size_t group = GroupOf(p.target);
      const std::size_t in_group = (m_.tracks - group + kGroups - 1) / kGroups;
      for (std::size_t k = 0; k < o_.negatives; ++k) {
        const auto j = static_cast<TrackId>(group + kGroups * rng.Uniform(in_group));
        if (j == p.context || j == p.target) continue;
        Step(p.context, j, 0.0f, o_.negative_weight);
      }
    }
    return sum;
  }

 private:
  ContextualModel& m_;
  const ContextualOptions& o_;
  float* target_;
};

ContextualModel InitialModel(std::span<const ContextPair> train, std::size_t tracks,
                             const ContextualOptions& options) {
  ContextualModel m;
  m.tracks = tracks;
  m.dim = options.dim;
  Rng rng(options.seed);
  auto fill = [&](std::vector<float>& v) {
    v.resize(tracks * options.dim);
    for (float& x : v) x = (2 * rng.UniformFloat() - 1) * options.init_scale;
  };
  fill(m.context);
  if (!options.tied) fill(m.target);
  m.target_bias.assign(tracks, 0.0f);
  m.context_bias.assign(tracks, 0.0f);
  m.seen_target.assign(tracks, false);
  m.trained_context.assign(tracks, false);
  double sum = 0;
  for (const ContextPair& p : train) {
    sum += p.time;
    m.seen_target[p.target] = true;
    m.trained_context[p.context] = true;
    if (options.tied) m.trained_context[p.target] = true;
  }
  m.mean_time = static_cast<float>(sum / static_cast<double>(train.size()));
  return m;
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
                                        std::span<const ContextPair> validation,
                                        std::size_t tracks, const ContextualOptions& options,
                                        const EpochCallback& on_epoch) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (train.empty()) return Status::InvalidArgument("no training pairs");
  BOTIFY_RETURN_IF_ERROR(CheckPairs(train, tracks, "training"));
  BOTIFY_RETURN_IF_ERROR(CheckPairs(validation, tracks, "validation"));
  ContextualModel model = InitialModel(train, tracks, options);
  std::vector<std::vector<ContextPair>> blocks(kGroups * kGroups);
  for (const ContextPair& p : train) blocks[BlockOf(p, options.tied)].push_back(p);
  auto rounds = Schedule(options.tied);
  Sgd sgd(&model, options);
  std::vector<double> block_error(blocks.size());
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    Rng order = Rng::ForStream(options.seed, epoch);
    for (std::size_t i = rounds.size(); i > 1; --i) std::swap(rounds[i - 1], rounds[order.Uniform(i)]);
    for (const auto& round : rounds) {
      RunRound(round, options.threads, [&](std::size_t block) {
        Rng rng = Rng::ForStream(options.seed, epoch * blocks.size() + block + 1000);
        block_error[block] = sgd.RunBlock(blocks[block], rng);
      });
    }
    // A tied model keeps one table during training; the copy makes it a complete model.
    if (options.tied && !validation.empty()) model.target = model.context;
    const double sum = std::accumulate(block_error.begin(), block_error.end(), 0.0);
    EpochReport report{epoch, options.epochs, std::sqrt(sum / static_cast<double>(train.size())),
                       Rmse(model, validation)};
    if (on_epoch) on_epoch(report);
  }
  if (options.tied) model.target = model.context;
  return model;
}

}  // namespace botify::contextual
