// Benchmarks of the mf trainer on a synthetic log with planted structure sized to about
// 100k train positives (10k users, 20k tracks): one Hogwild epoch (WARP and BPR, 50
// components, 1 and 2 threads), one precision@10 evaluation pass and the top-100 export.
// Numbers and the command are in docs/trainers-mf.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>

#include "engine/train/mf/interaction_split.h"
#include "engine/train/mf/mf_trainer.h"
#include "engine/train/mf/precision_at_k.h"
#include "engine/train/mf/recommendations_export.h"
#include "engine/train/mf/synthetic_log.h"

namespace {

using namespace botify::train::mf;

const InteractionSplit& Split() {
  static const InteractionSplit split = [] {
    SyntheticLogOptions log;
    log.users = 10'000;
    log.tracks = 20'000;
    log.groups = 50;
    log.rows_per_user = 24;
    auto s = BuildInteractionSplit(MakeSyntheticEvents(log), InteractionSplitOptions{});
    if (!s.ok()) std::abort();
    std::fprintf(stderr, "split: %u users, %u items, %zu train / %zu test positives\n",
                 s->n_users(), s->n_items(), s->train.nnz(), s->test.nnz());
    return std::move(s).value();
  }();
  return split;
}

void BM_Epoch(benchmark::State& state) {
  const InteractionSplit& split = Split();
  MfOptions options;
  options.no_components = 50;
  options.loss = state.range(0) == 0 ? MfLoss::kWarp : MfLoss::kBpr;
  options.threads = static_cast<int>(state.range(1));
  MfTrainer trainer(options, &split.train, split.n_items());
  trainer.RunEpoch();  // past the first epoch, WARP samples more negatives per positive
  for (auto _ : state) trainer.RunEpoch();
  state.counters["positives/s"] = benchmark::Counter(static_cast<double>(split.train.nnz()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Epoch)
    ->ArgNames({"bpr", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PrecisionAtK(benchmark::State& state) {
  const InteractionSplit& split = Split();
  MfOptions options;
  MfTrainer trainer(options, &split.train, split.n_items());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ModelPrecisionAtK(trainer.model(), split.train, split.test, 10,
                                               static_cast<int>(state.range(0))));
  }
}
BENCHMARK(BM_PrecisionAtK)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExportTop100(benchmark::State& state) {
  const InteractionSplit& split = Split();
  MfOptions options;
  MfTrainer trainer(options, &split.train, split.n_items());
  const TrainedModel trained{trainer.model(), split.user_ids, split.track_ids, split.train};
  const auto path = std::filesystem::temp_directory_path() / "botify_mf_bench_recs.jsonl";
  RecommendationsExportOptions export_options;
  export_options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    if (!WriteRecommendations(trained, path.string(), export_options).ok()) std::abort();
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_ExportTop100)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
