#include "engine/train/mf/mf_trainer.h"

#include <fmt/format.h>

#include <thread>

#include "engine/train/mf/negative_sampler.h"

namespace botify::train::mf {
namespace {

// Below this the stored values grow large relative to the true ones; fold early.
constexpr double kMinScale = 1e-3;

// Stream ids of Rng::ForStream, apart from anything else seeded with the same seed.
constexpr std::uint64_t kShuffleStream = 0x5348554646ULL;
constexpr std::uint64_t kWorkerStreamBase = 0x574f524b00000000ULL;

}  // namespace

Status MfTrainer::CheckTimestamps(const MfOptions& options, const UserItemMatrix& train,
                                  std::span<const std::int64_t> timestamps) {
  if (options.item_bias == ItemBiasForm::kStatic || timestamps.size() == train.nnz()) {
    return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("item_bias {} needs a timestamp per train positive ({} for {} positives)",
                  ItemBiasFormName(options.item_bias), timestamps.size(), train.nnz()));
}

MfTrainer::MfTrainer(const MfOptions& options, const UserItemMatrix* train, std::uint32_t n_items,
                     std::span<const std::int64_t> train_timestamps_ms)
    : options_(options),
      train_(train),
      model_(train->users(), n_items, static_cast<std::uint32_t>(options.no_components)),
      shuffle_rng_(Rng::ForStream(options.seed, kShuffleStream)) {
  Rng init(options.seed);
  model_.InitUniform(init);
  state_ = ScheduleState::For(model_, options.schedule);
  if (options.item_bias != ItemBiasForm::kStatic) {
    time_bias_ = TimeBias(options, *train, train_timestamps_ms, n_items);
  }
  sample_user_.resize(train->nnz());
  for (std::uint32_t u = 0; u < train->users(); ++u) {
    const auto& indptr = train->indptr();
    std::fill(sample_user_.begin() + indptr[u], sample_user_.begin() + indptr[u + 1], u);
  }
  order_.resize(train->nnz());
  decays_.resize(options.threads);
}

void MfTrainer::TrainSample(std::size_t sample, Rng& rng, SgdStep& step, WorkerDecay* decay) {
  const std::uint32_t u = sample_user_[sample];
  const std::uint32_t i = train_->items()[sample];
  const std::uint32_t n_items = model_.n_items();
  const LazyScale scale = scale_;
  // The triple is judged at the positive's time; a static bias adds 0 and no branch cost
  // beyond Term()'s form test.
  const float t = time_bias_.enabled() ? time_bias_.sample_time(sample) : 0.0f;
  auto score = [&](std::uint32_t item) {
    return ScaledScore(model_, scale, u, item) + time_bias_.Term(item, t);
  };
  auto draw = [&] { return static_cast<std::uint32_t>(rng.Uniform(n_items)); };
  auto is_positive = [&](std::uint32_t j) { return train_->Contains(u, j); };
  const float positive = score(i);
  NegativeDraw negative;
  if (options_.loss == MfLoss::kWarp) {
    negative = FindWarpNegative(positive, n_items, options_.max_sampled, draw, is_positive, score);
  } else {
    negative = FindBprNegative(
        [&] { return DrawBprCandidate(options_.bpr_sampler, *train_, n_items, rng); }, is_positive);
    if (negative.found) {
      negative.weight = BprWeight(positive, score(negative.item));
    }
  }
  if (!negative.found) return;
  const StepDecay d = step.Apply(negative.weight, u, i, negative.item, scale);
  time_bias_.Step(negative.weight, i, negative.item, t);
  decay->user *= d.user;
  decay->item *= d.item;
}

void MfTrainer::RunWorker(int worker, std::size_t rounds, Barrier* barrier) {
  Rng rng = Rng::ForStream(options_.seed,
                           kWorkerStreamBase + std::uint64_t(epochs_done_) * 1024 + worker);
  SgdStep step(options_, &model_, &state_);
  const std::size_t n = order_.size();
  const std::size_t per_round = kRoundSamples * options_.threads;
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t begin = std::min(n, r * per_round + worker * kRoundSamples);
    const std::size_t end = std::min(n, begin + kRoundSamples);
    for (std::size_t s = begin; s < end; ++s) TrainSample(order_[s], rng, step, &decays_[worker]);
    if (barrier != nullptr) {
      barrier->arrive_and_wait();
    } else {
      CombineDecays();
    }
  }
}

void MfTrainer::CombineDecays() {
  for (WorkerDecay& d : decays_) {
    scale_.user *= d.user;
    scale_.item *= d.item;
    d = WorkerDecay{};
  }
  if (scale_.user < kMinScale || scale_.item < kMinScale) FoldScale();
}

void MfTrainer::FoldScale() {
  const auto su = static_cast<float>(scale_.user), si = static_cast<float>(scale_.item);
  if (su != 1.0f) {
    for (float& w : model_.user_embeddings()) w *= su;
  }
  if (si != 1.0f) {
    for (float& w : model_.item_embeddings()) w *= si;
    for (float& b : model_.item_biases()) b *= si;
  }
  scale_ = LazyScale{};
}

MfModel MfTrainer::ServingModel() const {
  MfModel serving = model_;
  time_bias_.FoldInto(&serving);
  return serving;
}

void MfTrainer::RunEpoch() {
  for (std::uint32_t s = 0; s < order_.size(); ++s) order_[s] = s;
  for (std::size_t k = order_.size(); k > 1; --k) {
    std::swap(order_[k - 1], order_[shuffle_rng_.Uniform(k)]);
  }
  const std::size_t per_round = kRoundSamples * options_.threads;
  const std::size_t rounds = (order_.size() + per_round - 1) / per_round;
  if (options_.threads == 1) {
    RunWorker(0, rounds, nullptr);
  } else {
    Barrier barrier(options_.threads, CombineAtBarrier{this});
    std::vector<std::jthread> workers;
    for (int t = 0; t < options_.threads; ++t) {
      workers.emplace_back([this, t, rounds, &barrier] { RunWorker(t, rounds, &barrier); });
    }
  }
  FoldScale();
  ++epochs_done_;
}

}  // namespace botify::train::mf
