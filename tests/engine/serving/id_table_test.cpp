#include "engine/serving/id_table.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "base/random.h"

using namespace botify;
using namespace botify::serving;

TEST_CASE("IdSet and IdCounts agree with std::set and std::map through growth",
          "[engine][session]") {
  IdSet set;
  IdCounts counts;
  std::set<std::uint32_t> want_set;
  std::map<std::uint32_t, std::uint32_t> want_counts;
  Rng rng(11);
  CHECK_FALSE(set.Contains(0));
  CHECK(counts.Get(7) == 0);
  CHECK(set.Bytes() == 0);  // empty tables allocate nothing
  for (int i = 0; i < 5000; ++i) {
    // Small ids collide often; the largest storable id (2^32 - 2) and 0 are included.
    const std::uint32_t id = i % 97 == 0   ? 0xfffffffeu
                             : i % 89 == 0 ? 0u
                                           : static_cast<std::uint32_t>(rng.Uniform(3000));
    CHECK(set.Insert(id) == want_set.insert(id).second);
    counts.Increment(id);
    ++want_counts[id];
    const auto probe = static_cast<std::uint32_t>(rng.Uniform(3100));
    REQUIRE(set.Contains(probe) == (want_set.count(probe) > 0));
    REQUIRE(counts.Get(probe) == (want_counts.count(probe) ? want_counts[probe] : 0));
  }
  CHECK(set.size() == want_set.size());
  CHECK(counts.size() == want_counts.size());
  for (const auto& [id, n] : want_counts) CHECK(counts.Get(id) == n);
  // At most 3/4 full, a power of two: bytes bounded by ~2.7x the payload.
  CHECK(set.Bytes() <= want_set.size() * 4 * 8 / 3 + 64);
}
