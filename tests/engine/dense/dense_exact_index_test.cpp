#include "engine/dense/exact_index.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>

#include "base/random.h"
#include "tests/engine/dense/reference_ranking.h"

using namespace botify;
using namespace botify::testing;

namespace {

// Queries 0..n-1 of `cols` values (as RandomTargets draws them), and per query an
// ascending list of excluded targets.
struct QueryCase {
  OwnedTargets rows;  // the query vectors (its bias unused)
  std::vector<std::uint32_t> ids;
  std::vector<std::vector<std::uint32_t>> excluded;
  dense::Queries view() const {
    return {ids, rows.view().vectors,
            [this](std::uint32_t q) { return std::span<const std::uint32_t>(excluded[q]); }};
  }
};

QueryCase MakeQueries(std::size_t n, std::size_t cols, std::size_t targets, bool integers) {
  QueryCase c;
  c.rows = RandomTargets(n, cols, 99, integers);
  c.ids.resize(n);
  std::iota(c.ids.begin(), c.ids.end(), 0);
  Rng rng(5);
  c.excluded.resize(n);
  for (std::size_t q = 0; q < n; ++q) {
    for (std::uint32_t t = 0; t < targets; t += 1 + static_cast<std::uint32_t>(rng.Uniform(300))) {
      c.excluded[q].push_back(t);
    }
  }
  return c;
}

std::map<std::uint32_t, std::vector<std::uint32_t>> Search(const dense::Index& index,
                                                           const dense::Queries& queries,
                                                           std::size_t k, int threads) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> lists;
  std::mutex mu;
  REQUIRE(index
              .Search(queries, k, threads,
                      [&](std::uint32_t q, std::span<const std::uint32_t> ranked) {
                        std::lock_guard<std::mutex> lock(mu);
                        CHECK(lists.emplace(q, std::vector(ranked.begin(), ranked.end())).second);
                      })
              .ok());
  return lists;
}

}  // namespace

TEST_CASE("exact lists equal the double-precision ranking up to near-ties",
          "[engine][dense][exact]") {
  // 300 queries: two full blocks of 128 and a partial one; 2500 targets: two full tiles of
  // 1024 and a partial one. Integers: every score exact, so the lists must be equal, ties
  // (every 7th target copies target 3) to the lower id.
  const bool integers = GENERATE(true, false);
  OwnedTargets targets = RandomTargets(2500, 13, 7, integers);
  for (std::size_t t = 5; t < targets.rows; t += 97) {
    targets.bias[t] = std::numeric_limits<float>::quiet_NaN();  // never ranked
  }
  const QueryCase queries = MakeQueries(300, 13, targets.rows, integers);
  const dense::ExactIndex index(targets.view());
  const std::size_t k = GENERATE(1, 100, 3000);  // 3000: more than the candidates
  const auto lists = Search(index, queries.view(), k, 2);
  REQUIRE(lists.size() == 300);
  std::size_t identical = 0;
  for (const auto& [q, list] : lists) {
    const float* query = queries.rows.view().vectors.row(q);
    const auto reference = ReferenceTopK(targets.view(), query, k, queries.excluded[q]);
    INFO("query " << q);
    REQUIRE(CompareUpToNearTies(targets.view(), query, list, queries.excluded[q], reference) == "");
    bool same = list.size() == reference.size();
    for (std::size_t i = 0; same && i < list.size(); ++i) same = list[i] == reference[i].id;
    identical += same ? 1 : 0;
  }
  if (integers) CHECK(identical == 300);
}

TEST_CASE("exact lists do not depend on the thread count", "[engine][dense][exact]") {
  const OwnedTargets targets = RandomTargets(3000, 20, 3, false);
  const QueryCase queries = MakeQueries(400, 20, targets.rows, false);
  const dense::ExactIndex index(targets.view());
  const auto one = Search(index, queries.view(), 50, 1);
  CHECK(Search(index, queries.view(), 50, 3) == one);
}

TEST_CASE("an exact list does not depend on the block a query falls in, nor on the CPU's BLAS",
          "[engine][dense][exact]") {
  // Every target ranked (k = all), so any two neighbours within BLAS's rounding of each
  // other would show a swap: BLAS sums a pair differently at another row of the product
  // on some CPUs (blas.h), and the queries here sit at other rows in every search.
  const OwnedTargets targets = RandomTargets(3000, 32, 11, false);
  const QueryCase queries = MakeQueries(300, 32, targets.rows, false);
  const dense::ExactIndex index(targets.view());
  const auto all = Search(index, queries.view(), targets.rows, 2);
  QueryCase shifted = queries;
  std::reverse(shifted.ids.begin(), shifted.ids.end());
  shifted.ids.erase(shifted.ids.begin());  // 299 queries: every block's rows move
  const auto moved = Search(index, shifted.view(), targets.rows, 1);
  REQUIRE(moved.size() == 299);
  for (const auto& [q, list] : moved) {
    INFO("query " << q);
    REQUIRE(list == all.at(q));
  }
}

TEST_CASE("exact search reports progress and refuses bad shapes", "[engine][dense][exact]") {
  const OwnedTargets targets = RandomTargets(100, 4, 3, false);
  const dense::ExactIndex index(targets.view());
  QueryCase queries = MakeQueries(300, 4, targets.rows, false);
  std::size_t last = 0, calls = 0;
  REQUIRE(index
              .Search(
                  queries.view(), 5, 2, [](std::uint32_t, std::span<const std::uint32_t>) {},
                  [&](std::size_t done, std::size_t total) {
                    CHECK(done > last);
                    CHECK(total == 300);
                    last = done;
                    ++calls;
                  })
              .ok());
  CHECK(last == 300);
  CHECK(calls == 3);
  auto sink = [](std::uint32_t, std::span<const std::uint32_t>) {};
  CHECK_THAT(index.Search(queries.view(), 5, 0, sink).message(), Catch::Contains("threads"));
  queries.ids.push_back(300);
  CHECK_THAT(index.Search(queries.view(), 5, 1, sink).message(),
             Catch::Contains("query id 300 is not a row of the 300 query vectors"));
  const OwnedTargets wide = RandomTargets(10, 5, 3, false);
  queries.ids.pop_back();
  CHECK_THAT(dense::ExactIndex(wide.view()).Search(queries.view(), 5, 1, sink).message(),
             Catch::Contains("queries have 4 dimensions, the targets 5"));
}

TEST_CASE("BuildIndex checks the targets' shapes", "[engine][dense][exact]") {
  OwnedTargets targets = RandomTargets(10, 4, 3, false);
  targets.bias.pop_back();
  CHECK_THAT(dense::BuildIndex(targets.view(), {}).status().message(),
             Catch::Contains("9 target biases for 10 target vectors"));
}
