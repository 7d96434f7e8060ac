#include "engine/dense/top_k.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/random.h"

using namespace botify;
using botify::dense::TopK;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Sorting every candidate: score descending, ties to the lower id; NaN, -inf and excluded
// never kept.
std::vector<std::uint32_t> SortAll(const std::vector<float>& scores, std::size_t k,
                                   const std::vector<std::uint32_t>& excluded) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i]) || scores[i] == -kInf ||
        std::binary_search(excluded.begin(), excluded.end(), i)) {
      continue;
    }
    ids.push_back(i);
  }
  std::stable_sort(ids.begin(), ids.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
  ids.resize(std::min(k, ids.size()));
  return ids;
}

}  // namespace

TEST_CASE("top-k ranks by score, ties to the lower id, skipping excluded",
          "[engine][dense][topk]") {
  const std::vector<float> scores = {0.5f, 2.0f, 1.0f, 2.0f, 3.0f, 1.0f};
  const std::vector<std::uint32_t> excluded = {4};
  TopK top;
  std::vector<std::uint32_t> out;
  top.Reset(3, excluded);
  top.Offer(scores.data(), scores.size(), 0);
  top.Finish(&out);
  CHECK(out == std::vector<std::uint32_t>{1, 3, 2});
  top.Reset(10, excluded);
  top.Offer(scores.data(), scores.size(), 0);
  top.Finish(&out);
  CHECK(out == std::vector<std::uint32_t>{1, 3, 2, 5, 0});
  top.Reset(0);
  top.Offer(scores.data(), scores.size(), 0);
  top.Finish(&out);
  CHECK(out.empty());
}

TEST_CASE("top-k never keeps NaN or -inf, even with room left", "[engine][dense][topk]") {
  const std::vector<float> scores = {kNaN, -kInf, -1e30f, kInf, kNaN, 0.0f};
  TopK top;
  std::vector<std::uint32_t> out;
  top.Reset(6);
  top.Offer(scores.data(), scores.size(), 10);
  top.Finish(&out);
  CHECK(out == std::vector<std::uint32_t>{13, 15, 12});
}

TEST_CASE("top-k over slices equals sorting every candidate", "[engine][dense][topk]") {
  // Scores from a few values (many exact ties), long runs below the threshold (the
  // 16-at-a-time skip) and slices of every length.
  Rng rng(GENERATE(1, 2, 3));
  const std::size_t n = 5000;
  std::vector<float> scores(n);
  for (float& s : scores) {
    const auto v = rng.Uniform(100);
    s = v < 2 ? kNaN : static_cast<float>(v % 23) - 11.0f;
  }
  std::vector<std::uint32_t> excluded;
  for (std::uint32_t i = 0; i < n; i += 1 + static_cast<std::uint32_t>(rng.Uniform(40))) {
    excluded.push_back(i);
  }
  const std::size_t k = GENERATE(1, 7, 100, 1000, 6000);
  TopK top;
  top.Reset(k, excluded);
  for (std::size_t first = 0; first < n;) {
    const std::size_t len = std::min<std::size_t>(n - first, 1 + rng.Uniform(70));
    top.Offer(&scores[first], len, static_cast<std::uint32_t>(first));
    first += len;
  }
  std::vector<std::uint32_t> out;
  top.Finish(&out);
  CHECK(out == SortAll(scores, k, excluded));
}

TEST_CASE("with a margin, top-k over rounded scores keeps the exact best k, ties included",
          "[engine][dense][topk]") {
  // Exact scores from few values (many ties) plus a fine spread; offered scores off by up
  // to half the margin either way, as BLAS's rounding would be (block_rows.h). Ids come in
  // ascending slices (Offer) or shuffled (OfferIds, a bounded search's cells).
  Rng rng(GENERATE(4, 5, 6));
  const float margin = GENERATE(0.0f, 1e-3f, 0.5f);
  const std::size_t n = 5000;
  std::vector<float> exact(n), offered(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = rng.Uniform(100);
    exact[i] = v < 2 ? kNaN : static_cast<float>(v % 23) + (v % 3 == 0 ? 0.0f : 1e-4f * (v % 7));
    offered[i] = exact[i] + margin / 2 * static_cast<float>(2 * rng.UniformDouble() - 1);
  }
  std::vector<std::uint32_t> excluded;
  for (std::uint32_t i = 0; i < n; i += 1 + static_cast<std::uint32_t>(rng.Uniform(40))) {
    excluded.push_back(i);
  }
  const std::size_t k = GENERATE(1, 7, 100, 1000, 6000);
  const bool shuffled = GENERATE(false, true);
  TopK top;
  top.Reset(k, excluded, margin);
  if (shuffled) {
    std::vector<std::uint32_t> ids(n);
    std::iota(ids.begin(), ids.end(), 0u);
    for (std::size_t i = n - 1; i > 0; --i) std::swap(ids[i], ids[rng.Uniform(i + 1)]);
    std::vector<float> scores(n);
    for (std::size_t i = 0; i < n; ++i) scores[i] = offered[ids[i]];
    for (std::size_t first = 0; first < n; first += 64) {
      top.OfferIds(&scores[first], &ids[first], std::min<std::size_t>(64, n - first));
    }
  } else {
    for (std::size_t first = 0; first < n;) {
      const std::size_t len = std::min<std::size_t>(n - first, 1 + rng.Uniform(70));
      top.Offer(&offered[first], len, static_cast<std::uint32_t>(first));
      first += len;
    }
  }
  std::vector<std::uint32_t> out;
  std::size_t rescored = 0;
  top.FinishRescored(&out, [&](std::uint32_t id) {
    ++rescored;
    return exact[id];
  });
  CHECK(out == SortAll(exact, k, excluded));
  // What was kept beyond k is what the margin lets in, not everything.
  if (k < 1000 && margin < 0.1f) CHECK(rescored < 4 * k + 200);
}
