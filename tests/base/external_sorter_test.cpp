#include "base/external_sorter.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <vector>

#include "tests/test_support.h"

using namespace botify;
using namespace botify::testing;

namespace {

// A key with many ties and the input position, which the sort must not look at: equal keys
// must come out in input order.
struct Item {
  std::uint32_t key;
  std::uint64_t position;
};
struct ByKey {
  bool operator()(const Item& a, const Item& b) const { return a.key < b.key; }
};

std::vector<Item> RandomItems(std::size_t n, std::uint32_t keys, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> key(0, keys - 1);
  std::vector<Item> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = Item{key(rng), i};
  return items;
}

std::vector<Item> SortExternally(const std::vector<Item>& items, ExternalSortOptions options,
                                 ExternalSortStats* stats) {
  ExternalSorter<Item, ByKey> sorter(std::move(options));
  for (const Item& item : items) REQUIRE(sorter.Add(item).ok());
  std::vector<Item> out;
  REQUIRE(sorter.ForEachSorted([&](const Item& item) { out.push_back(item); }).ok());
  *stats = sorter.stats();
  return out;
}

void CheckSameOrder(const std::vector<Item>& got, std::vector<Item> want) {
  std::stable_sort(want.begin(), want.end(), ByKey());
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("at " << i);
    REQUIRE(got[i].key == want[i].key);
    REQUIRE(got[i].position == want[i].position);
  }
}

}  // namespace

TEST_CASE("without a budget the sorter is a stable sort in memory", "[base][external_sort]") {
  const auto items = RandomItems(5000, 50, 1);
  ExternalSortStats stats;
  auto out = SortExternally(items, {}, &stats);
  CheckSameOrder(out, items);
  CHECK(stats.records == 5000);
  CHECK(stats.runs_spilled == 0);
}

TEST_CASE("spilled runs merge to exactly the stable order", "[base][external_sort]") {
  TempDir dir;
  // 16 bytes a record: a 48 KiB budget holds runs of 2,048; 100,000 records make ~49 runs.
  const auto items = RandomItems(100000, 300, 2);
  ExternalSortStats stats;
  auto out = SortExternally(
      items, {.memory_budget_bytes = 48 * 1024, .spill_dir = dir.path(), .max_open_runs = 1000},
      &stats);
  CheckSameOrder(out, items);
  CHECK(stats.runs_spilled == 49);
  CHECK(stats.intermediate_merges == 0);
  CHECK(stats.bytes_spilled == 100000 * sizeof(Item));
}

TEST_CASE("reaching the open-run limit merges runs, still stable", "[base][external_sort]") {
  TempDir dir;
  const auto items = RandomItems(100000, 20, 3);
  ExternalSortStats stats;
  auto out = SortExternally(
      items, {.memory_budget_bytes = 48 * 1024, .spill_dir = dir.path(), .max_open_runs = 4},
      &stats);
  CheckSameOrder(out, items);
  CHECK(stats.intermediate_merges > 10);
}

TEST_CASE("spill files have no name: nothing is left in the folder", "[base][external_sort]") {
  TempDir dir;
  ExternalSorter<Item, ByKey> sorter({.memory_budget_bytes = 1024, .spill_dir = dir.path()});
  for (const Item& item : RandomItems(1000, 10, 4)) REQUIRE(sorter.Add(item).ok());
  CHECK(sorter.stats().runs_spilled > 0);
  CHECK(std::filesystem::is_empty(dir.path()));
  std::size_t n = 0;
  REQUIRE(sorter.ForEachSorted([&](const Item&) { ++n; }).ok());
  CHECK(n == 1000);
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("a spill folder that does not exist fails the first spill, naming it",
          "[base][external_sort]") {
  TempDir dir;
  ExternalSorter<Item, ByKey> sorter(
      {.memory_budget_bytes = 1024, .spill_dir = dir.path() / "missing"});
  Status status;
  for (const Item& item : RandomItems(1000, 10, 5)) {
    status = sorter.Add(item);
    if (!status.ok()) break;
  }
  CHECK(status.code() == StatusCode::kIoError);
  CHECK_THAT(status.message(), Catch::Contains("missing"));
}
