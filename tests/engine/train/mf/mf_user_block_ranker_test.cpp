#include "engine/train/mf/user_block_ranker.h"

#include <catch2/catch.hpp>

#include <numeric>

#include "base/random.h"

using namespace botify;
using namespace botify::train::mf;

namespace {

// Users x items with random parameters; every 7th item copies item 3 (exact score ties
// across tiles) and a few users' train rows to exclude.
struct RandomCase {
  MfModel model;
  UserItemMatrix exclude;
};

RandomCase MakeCase(std::uint32_t users, std::uint32_t items, std::uint32_t dims) {
  RandomCase c;
  c.model = MfModel(users, items, dims);
  Rng rng(11);
  c.model.InitUniform(rng);
  for (std::uint32_t i = 0; i < items; ++i) {
    c.model.bias(i) = static_cast<float>(rng.UniformDouble() - 0.5) * 0.01f;
    if (i % 7 == 0 && i != 3) {
      std::copy(c.model.item(3), c.model.item(3) + c.model.stride(), c.model.item(i));
      c.model.bias(i) = c.model.bias(3);
    }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t u = 0; u < users; ++u) {
    for (int j = 0; j < static_cast<int>(u % 5) * 3; ++j) {
      pairs.emplace_back(u, static_cast<std::uint32_t>(rng.Uniform(items)));
    }
  }
  c.exclude = UserItemMatrix::FromPairs(users, std::move(pairs));
  return c;
}

// The reference: ScoreAll, then Select over the whole vector.
std::vector<std::uint32_t> Reference(const RandomCase& c, std::uint32_t u, std::size_t k,
                                     bool exclude) {
  std::vector<float> scores(c.model.n_items());
  c.model.ScoreAll(u, scores);
  std::vector<std::uint32_t> top;
  TopKSelector(k).Select(scores, exclude ? c.exclude.Row(u) : std::span<const std::uint32_t>(),
                         &top);
  return top;
}

}  // namespace

TEST_CASE("ScoreRange on aligned tiles is ScoreAll bit for bit", "[engine][mf][ranker]") {
  const RandomCase c = MakeCase(3, 1027, 13);
  std::vector<float> all(c.model.n_items()), part(256);
  c.model.ScoreAll(2, all);
  for (std::uint32_t begin = 0; begin < c.model.n_items(); begin += 256) {
    const std::uint32_t end = std::min(c.model.n_items(), begin + 256);
    c.model.ScoreRange(2, begin, end, part.data());
    for (std::uint32_t i = begin; i < end; ++i) REQUIRE(part[i - begin] == all[i]);
  }
}

TEST_CASE("block ranking equals ScoreAll + Select for every user", "[engine][mf][ranker]") {
  // 150 users: two full blocks and a partial one; 1027 items: four full tiles, a partial
  // one, and a tail of 3 items scored through Dot.
  const RandomCase c = MakeCase(150, 1027, 13);
  const std::size_t k = GENERATE(1, 10, 100, 2000);  // 2000: more than the items left
  const bool exclude = GENERATE(false, true);
  UserBlockRanker ranker(c.model, k, exclude ? &c.exclude : nullptr);
  std::vector<std::uint32_t> users(150);
  std::iota(users.begin(), users.end(), 0);
  std::size_t seen = 0;
  RankUsersInBlocks(ranker, users,
                    [&](std::span<const std::uint32_t> block, const UserBlockRanker& r) {
                      CHECK(block.size() <= UserBlockRanker::kBlockUsers);
                      for (std::size_t b = 0; b < block.size(); ++b, ++seen) {
                        CHECK(block[b] == seen);
                        REQUIRE(r.top(b) == Reference(c, block[b], k, exclude));
                      }
                    });
  CHECK(seen == 150);
}

TEST_CASE("block ranking of a hand-made model", "[engine][mf][ranker]") {
  // One component: score(u, i) = p_u * q_i + b_i.
  MfModel model(2, 5, 1);
  const float q[5] = {1, -1, 2, 0, 2};
  const float b[5] = {0, 0, 0, 1.5f, 0};
  for (std::uint32_t i = 0; i < 5; ++i) {
    model.item(i)[0] = q[i];
    model.bias(i) = b[i];
  }
  model.user(0)[0] = 1;   // scores 1, -1, 2, 1.5, 2: items 2 and 4 tie, 2 first
  model.user(1)[0] = -1;  // scores -1, 1, -2, 1.5, -2
  const auto exclude = UserItemMatrix::FromPairs(2, {{0, 2}});
  UserBlockRanker ranker(model, 3, &exclude);
  const std::vector<std::uint32_t> users = {0, 1};
  ranker.Rank(users);
  CHECK(ranker.top(0) == std::vector<std::uint32_t>{4, 3, 0});
  CHECK(ranker.top(1) == std::vector<std::uint32_t>{3, 1, 0});
}
