#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <vector>

#include "base/random.h"
#include "engine/train/contextual/target_ranker.h"
#include "tests/engine/dense/reference_ranking.h"

using namespace botify;
using botify::train::contextual::ContextualModel;
using botify::train::contextual::RankOptions;
using botify::train::contextual::RankTargets;

namespace {

using Lists = std::map<TrackId, std::vector<TrackId>>;

using botify::testing::HnswOptions;
using botify::testing::IvfOptions;

// The exact ranking by default; else the bounded one `index` names.
Lists Rank(const ContextualModel& model, std::size_t depth, int threads,
           const dense::IndexOptions& index = {}) {
  Lists lists;
  std::mutex mu;
  RankOptions options;
  options.depth = depth;
  options.threads = threads;
  options.index = index;
  REQUIRE(RankTargets(model, options, [&](TrackId c, std::span<const TrackId> ranked) {
            std::lock_guard<std::mutex> lock(mu);
            REQUIRE(lists.count(c) == 0);
            lists[c].assign(ranked.begin(), ranked.end());
          }).ok());
  return lists;
}

// Five tracks in 2-D; scores are small integers, so every sum is exact.
ContextualModel TinyModel() {
  ContextualModel m;
  m.tracks = 5;
  m.dim = 2;
  m.context = {1, 0, /**/ 0, 1, /**/ 1, 1, /**/ 0, 0, /**/ 1, 0};
  m.target = {3, 0, /**/ 2, 2, /**/ 1, 0, /**/ 0, 5, /**/ 2, 0};
  m.target_bias = {0, 0, 1, 0, 0};
  m.context_bias = {7, 7, 7, 7, 7};  // never changes a ranking
  m.seen_target.assign(5, true);
  m.trained_context.assign(5, true);
  return m;
}

// 1300 tracks: more than one tile and block of the exact ranking, with a partial last
// one; integers in [-range, range] make every score exact in float, and many ties with a
// small range.
ContextualModel CoarseModel(std::uint64_t range = 2) {
  ContextualModel m;
  m.tracks = 1300;
  m.dim = 5;
  Rng rng(7);
  for (std::size_t i = 0; i < m.tracks * m.dim; ++i) {
    m.context.push_back(static_cast<float>(rng.Uniform(2 * range + 1)) - static_cast<float>(range));
    m.target.push_back(static_cast<float>(rng.Uniform(2 * range + 1)) - static_cast<float>(range));
  }
  for (std::size_t i = 0; i < m.tracks; ++i) {
    m.target_bias.push_back(static_cast<float>(rng.Uniform(3)) * 0.5f);
    m.context_bias.push_back(0);
    m.seen_target.push_back(rng.Uniform(10) != 0);
    m.trained_context.push_back(true);
  }
  return m;
}

}  // namespace

TEST_CASE("rank targets: exact lists on a hand-made model, self excluded, ties to lower id",
          "[engine][contextual]") {
  const ContextualModel m = TinyModel();
  // Context 0 scores: t0 3 (self), t1 2, t2 1+1, t3 0, t4 2.
  const Lists lists = Rank(m, 10, 1);
  REQUIRE(lists.size() == 5);
  CHECK(lists.at(0) == std::vector<TrackId>{1, 2, 4, 3});
  // Context 1: t0 0, t1 2 (self), t2 1, t3 5, t4 0.
  CHECK(lists.at(1) == std::vector<TrackId>{3, 2, 0, 4});
  // Context 2 (1,1): t0 3, t1 4, t2 2, t3 5, t4 2.
  CHECK(lists.at(2) == std::vector<TrackId>{3, 1, 0, 4});
  // Context 3 (0,0): only the biases.
  CHECK(lists.at(3) == std::vector<TrackId>{2, 0, 1, 4});
  CHECK(lists.at(4) == std::vector<TrackId>{0, 1, 2, 3});

  // Depth cuts the same order; unseen targets are never candidates.
  CHECK(Rank(m, 2, 2).at(0) == std::vector<TrackId>{1, 2});
  ContextualModel unseen = m;
  unseen.seen_target[1] = false;
  CHECK(Rank(unseen, 10, 2).at(0) == std::vector<TrackId>{2, 4, 3});
  CHECK(Rank(m, 0, 1).at(0).empty());
  // Untrained contexts get no list.
  ContextualModel untrained = m;
  untrained.trained_context[3] = false;
  const Lists partial = Rank(untrained, 10, 2);
  CHECK(partial.size() == 4);
  CHECK(partial.count(3) == 0);
}

TEST_CASE("rank targets: equals a brute-force sort across tiles, chunks and threads",
          "[engine][contextual]") {
  const ContextualModel m = CoarseModel();
  const Lists one = Rank(m, 30, 1);
  CHECK(Rank(m, 30, 2) == one);
  REQUIRE(one.size() == m.tracks);
  for (TrackId c : {TrackId{0}, TrackId{511}, TrackId{512}, TrackId{777}, TrackId{1299}}) {
    std::vector<TrackId> all;
    for (TrackId t = 0; t < m.tracks; ++t) {
      if (t != c && m.seen_target[t]) all.push_back(t);
    }
    std::stable_sort(all.begin(), all.end(),
                     [&](TrackId a, TrackId b) { return m.Score(c, a) > m.Score(c, b); });
    all.resize(30);
    CHECK(one.at(c) == all);
  }
}

TEST_CASE("rank targets rejects a model whose tables do not match", "[engine][contextual]") {
  ContextualModel m = TinyModel();
  m.target.pop_back();
  CHECK_FALSE(RankTargets(m, RankOptions{}, [](TrackId, std::span<const TrackId>) {}).ok());
}

TEST_CASE("bounded ranking searching every cluster is the exact ranking, ties included",
          "[engine][contextual][bounded]") {
  // The cells are scored with the exact ranking's products and selector: the same lists,
  // ties (many here) to the lower id.
  const ContextualModel m = CoarseModel();
  const Lists exact = Rank(m, 30, 1);
  const auto index = GENERATE(IvfOptions(1, 1), IvfOptions(7, 7), IvfOptions(36, 36));
  const int threads = GENERATE(1, 2);
  CHECK(Rank(m, 30, threads, index) == exact);
  CHECK(Rank(TinyModel(), 10, threads, IvfOptions(2, 2)) == Rank(TinyModel(), 10, 1));
  // More clusters than candidates: one a target.
  CHECK(Rank(TinyModel(), 10, threads, IvfOptions(50, 50)) == Rank(TinyModel(), 10, 1));
}

TEST_CASE("an HNSW ranking gives every context a full list of candidates",
          "[engine][contextual][bounded]") {
  const ContextualModel m = CoarseModel();
  const Lists exact = Rank(m, 30, 1);
  const Lists graph = Rank(m, 30, 2, HnswOptions(64));
  REQUIRE(graph.size() == exact.size());
  std::size_t same = 0;
  for (const auto& [c, list] : graph) {
    CHECK(list.size() == 30);
    for (const TrackId t : list) CHECK((t != c && m.seen_target[t]));
    same += list == exact.at(c) ? 1 : 0;
  }
  CHECK(same > exact.size() / 2);
}

TEST_CASE("bounded ranking probes the context's best clusters only",
          "[engine][contextual][bounded]") {
  // Two groups of targets far apart: tracks 0-19 at (1, 0.01 s), 20-39 at (0.01 s, 1),
  // s = t % 20. A context along x probing one of two clusters sees group x only; there
  // every score is 1, so the ties go to the lower id.
  ContextualModel m;
  m.tracks = 40;
  m.dim = 2;
  for (std::size_t t = 0; t < m.tracks; ++t) {
    const float spread = 0.01f * static_cast<float>(t % 20);
    const bool x = t < 20;
    m.target.insert(m.target.end(), {x ? 1 : spread, x ? spread : 1});
    m.context.insert(m.context.end(), {x ? 1.0f : 0.0f, x ? 0.0f : 1.0f});
    m.target_bias.push_back(0);
    m.context_bias.push_back(0);
  }
  m.seen_target.assign(m.tracks, true);
  m.trained_context.assign(m.tracks, true);
  const Lists bounded = Rank(m, 30, 1, IvfOptions(2, 1));
  // Context 0 (x): the other 19 x tracks; nothing of y.
  std::vector<TrackId> x_tracks;
  for (TrackId t = 1; t < 20; ++t) x_tracks.push_back(t);
  CHECK(bounded.at(0) == x_tracks);
  // The exact list goes on into group y after the 19.
  const Lists exact = Rank(m, 30, 1);
  CHECK(exact.at(0).size() == 30);
  CHECK(std::vector<TrackId>(exact.at(0).begin(), exact.at(0).begin() + 19) == x_tracks);
  CHECK(bounded.at(39).size() == 19);
  CHECK(bounded.at(39).front() == 20);
}

TEST_CASE("bounded ranking options are validated", "[engine][contextual][bounded]") {
  RankOptions options;
  options.index = IvfOptions(4, 0);
  CHECK_THAT(options.Validate().message(),
             Catch::Contains("ivf nprobe must be in [1, nlist = 4], got 0"));
  options.index.probe = 5;
  CHECK_FALSE(options.Validate().ok());
  options.index.probe = 4;
  CHECK(options.Validate().ok());
  options.index.kind = dense::IndexKind::kExact;  // exact: the probe is not used
  options.index.probe = 0;
  CHECK(options.Validate().ok());
  options.threads = 0;
  CHECK_THAT(options.Validate().message(), Catch::Contains("threads"));
}
