#include "engine/serving/experiment.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "base/murmur3.h"

using botify::MurmurHash3_x86_32;
using botify::serving::Experiment;

TEST_CASE("MurmurHash3_x86_32 reproduces the reference gold vectors", "[engine][experiment]") {
  CHECK(MurmurHash3_x86_32("", 0) == 0u);
  CHECK(MurmurHash3_x86_32("hello", 0) == 613153351u);
  CHECK(MurmurHash3_x86_32("hello", 42) == 3806057185u);
  CHECK(MurmurHash3_x86_32("12345", 0xdeadbeef) == 677773802u);
}

TEST_CASE("experiment name hashes match the original's signed int32 values",
          "[engine][experiment]") {
  auto as_signed = [](const char* name) {
    return static_cast<std::int32_t>(MurmurHash3_x86_32(name, 0));
  };
  CHECK(as_signed("AA") == 1072275553);
  CHECK(as_signed("USER_BASED") == 946729727);
  CHECK(as_signed("PERSONALIZED") == -75199368);
  CHECK(as_signed("STICKY_ARTIST") == -920525308);
}

namespace {
std::string ArmOf(const char* name, int split, botify::UserId user) {
  auto e = Experiment::Create(name, split);
  REQUIRE(e.ok());
  return std::string(botify::serving::ArmName(e->Assign(user)));
}
std::vector<int> ArmsOfFirstUsers(const char* name, int count) {
  auto e = Experiment::Create(name, 2);
  REQUIRE(e.ok());
  std::vector<int> arms;
  for (int u = 0; u < count; ++u) arms.push_back(e->Assign(u));
  return arms;
}
}  // namespace

TEST_CASE("arms reproduce the gold vectors from the original logs", "[engine][experiment]") {
  CHECK(ArmOf("STICKY_ARTIST", 4, 5650) == "T2");
  CHECK(ArmOf("STICKY_ARTIST", 4, 5100) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 4, 6269) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 4, 771) == "T3");

  CHECK(ArmOf("AA", 2, 3255) == "C");
  CHECK(ArmOf("AA", 2, 7229) == "T1");
  CHECK(ArmOf("AA", 2, 1661) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 2, 3255) == "C");
  CHECK(ArmOf("STICKY_ARTIST", 2, 7229) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 2, 6128) == "C");
  CHECK(ArmOf("HSTU", 2, 3736) == "T1");
  CHECK(ArmOf("HSTU", 2, 6661) == "C");
  CHECK(ArmOf("HSTU", 2, 4762) == "T1");
  CHECK(ArmOf("HSTU", 2, 562) == "T1");

  CHECK(ArmOf("STICKY_ARTIST", 9, 1112) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 9, 6224) == "T1");
  CHECK(ArmOf("STICKY_ARTIST", 9, 3873) == "T8");
  CHECK(ArmOf("STICKY_ARTIST", 9, 6362) == "T1");
}

TEST_CASE("split-2 arms of users 0..19 match the gold vectors", "[engine][experiment]") {
  CHECK(ArmsOfFirstUsers("USER_BASED", 20) ==
        std::vector<int>{0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0});
  CHECK(ArmsOfFirstUsers("PERSONALIZED", 20) ==
        std::vector<int>{0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0});
  CHECK(ArmsOfFirstUsers("AA", 20) ==
        std::vector<int>{1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1});
}

TEST_CASE("experiments reject bad splits and names", "[engine][experiment]") {
  CHECK_FALSE(Experiment::Create("X", 1).ok());
  CHECK_FALSE(Experiment::Create("X", 10).ok());
  CHECK_FALSE(Experiment::Create("", 2).ok());
  CHECK(botify::serving::ArmIndex("T8") == 8);
  CHECK(botify::serving::ArmIndex("T9") == -1);
}
