// KeyShard: the stable user/track shard hash (docs/contracts.md §13) and its "I/N" parsing.
#include "base/key_shard.h"

#include <catch2/catch.hpp>
#include <vector>

using botify::KeyShard;

TEST_CASE("KeyShard::Of matches the gold vectors of an independent MurmurHash3", "[base][shard]") {
  // From a plain-Python MurmurHash3_x86_32 over the decimal strings, seed 0x62736864.
  const std::vector<std::uint32_t> three = {2, 2, 1, 0, 2, 1, 0, 0, 2, 2,
                                            1, 2, 2, 0, 0, 2, 2, 0, 1, 2};
  const std::vector<std::uint32_t> seven = {5, 5, 6, 5, 1, 6, 6, 2, 0, 0,
                                            2, 1, 4, 6, 3, 4, 5, 1, 1, 3};
  for (std::uint32_t user = 0; user < 20; ++user) {
    INFO("user " << user);
    CHECK(KeyShard::Of(user, 3) == three[user]);
    CHECK(KeyShard::Of(user, 7) == seven[user]);
  }
  CHECK(KeyShard::Of(0, 1000) == 346);
  CHECK(KeyShard::Of(4294967295u, 1000) == 243);
  CHECK(KeyShard::Of(123456789, 1000) == 3);
}

TEST_CASE("KeyShard: every id belongs to exactly one of N shards, about evenly", "[base][shard]") {
  for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
    std::vector<int> owners(n, 0);
    for (std::uint32_t id = 0; id < 7000; ++id) {
      int owned = 0;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (KeyShard{i, n}.Owns(id)) {
          ++owned;
          ++owners[i];
        }
      }
      REQUIRE(owned == 1);
    }
    for (int c : owners) CHECK(c > 7000 / static_cast<int>(n) * 8 / 10);
  }
  CHECK(KeyShard{}.all());
  CHECK(KeyShard{}.Owns(12345));
}

TEST_CASE("KeyShard::Parse takes I/N and names what is wrong", "[base][shard]") {
  auto ok = KeyShard::Parse("2/7");
  REQUIRE(ok.ok());
  CHECK(ok->index == 2);
  CHECK(ok->count == 7);
  CHECK(ok->ToString() == "2/7");
  for (const char* bad : {"", "3", "1/", "/3", "-1/3", "1/3x", " 1/3", "1.0/3"}) {
    INFO(bad);
    auto r = KeyShard::Parse(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("is not I/N") != std::string::npos);
  }
  auto beyond = KeyShard::Parse("3/3");
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.status().message().find("shard index 3 is not below the number of shards 3") !=
        std::string::npos);
  auto zero = KeyShard::Parse("0/0");
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.status().message().find("must be in [1, 4096]") != std::string::npos);
}
