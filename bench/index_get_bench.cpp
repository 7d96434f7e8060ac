// Benchmark of the per-request storage read: TrackListIndex::Get on an ingested index of
// 10,000 users x 100 tracks (the size bench/http_bench.sh serves), keys drawn uniformly,
// 1 and 2 threads; plus a miss (a user without a list). Numbers and the command are in
// docs/server.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "engine/catalog/catalog.h"
#include "storage/index_builder.h"
#include "storage/store.h"

namespace {

using namespace botify;

constexpr int kUsers = 10'000, kTracks = 50'000, kListLength = 100;

// The store lives for the whole process: Google Benchmark runs each case many times.
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  std::shared_ptr<const serving::TrackListIndex> index;

  Fixture() {
    dir = std::filesystem::temp_directory_path() /
          ("botify-index-get-bench-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::vector<catalog::TrackRecord> records;
    for (int t = 0; t < kTracks; ++t)
      records.push_back({static_cast<TrackId>(t), "a" + std::to_string(t / 10), "t"});
    auto catalog = catalog::Catalog::FromRecords(std::move(records));
    std::mt19937 rng(2);
    {
      std::ofstream recs(dir / "recs.jsonl");
      std::uniform_int_distribution<int> track(0, kTracks - 1);
      for (int u = 0; u < kUsers; ++u) {
        recs << "{\"user\": " << u << ", \"tracks\": [";
        // Distinct tracks: a run of consecutive ids from a random start is enough here.
        const int start = track(rng) % (kTracks - kListLength);
        for (int i = 0; i < kListLength; ++i) recs << (i ? ", " : "") << start + i;
        recs << "]}\n";
      }
    }
    Check(storage::BuildIndexSst(dir / "recs.jsonl", *catalog, dir / "ub.sst", {}, nullptr),
          "build");
    auto opened = storage::Store::Open({(dir / "db").string()});
    Check(opened.status(), "open");
    store = std::move(*opened);
    Check(store->IngestIndex("ub", dir / "ub.sst", *catalog).status(), "ingest");
    auto idx = store->OpenIndex("ub");
    Check(idx.status(), "open index");
    index = *idx;
  }
  ~Fixture() {
    index.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  static void Check(const Status& s, const char* what) {
    if (s.ok()) return;
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
};

Fixture& GetFixture() {
  static Fixture fixture;
  return fixture;
}

void BM_IndexGetHit(benchmark::State& state) {
  const serving::TrackListIndex& index = *GetFixture().index;
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()) + 7);
  std::uniform_int_distribution<std::uint32_t> user(0, kUsers - 1);
  std::vector<TrackId> out;
  std::size_t found = 0;
  for (auto _ : state) {
    found += index.Get(user(rng), &out);
    benchmark::DoNotOptimize(out.data());
  }
  if (found != static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("a listed user was not found");
}
BENCHMARK(BM_IndexGetHit)->Threads(1)->Threads(2)->UseRealTime();

void BM_IndexGetMiss(benchmark::State& state) {
  const serving::TrackListIndex& index = *GetFixture().index;
  std::vector<TrackId> out;
  std::uint32_t user = kUsers;
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Get(user++, &out));
  }
}
BENCHMARK(BM_IndexGetMiss);

}  // namespace

BENCHMARK_MAIN();
