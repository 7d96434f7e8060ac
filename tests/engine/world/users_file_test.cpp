#include "engine/world/users_file.h"

#include <catch2/catch.hpp>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::TempDir;
using botify::testing::WriteFile;

TEST_CASE("users.json lines round-trip with optional fields", "[engine][world]") {
  world::User u;
  u.user = 7;
  u.interests = {1, 2, 3};
  u.consume_bias = 4.25;
  u.consume_sharpness = 1.5;
  std::string line;
  world::AppendUserLine(&line, u);
  CHECK(line ==
        "{\"user\": 7, \"interests\": [1, 2, 3], \"consume_bias\": 4.25, "
        "\"consume_sharpness\": 1.5}\n");
  u.session_budget = 3;
  u.interest_neighbours = 4;
  u.artist_discount_gamma = 0.5;
  line.clear();
  world::AppendUserLine(&line, u);
  auto back = world::ParseUserLine(line, 10);
  REQUIRE(back.ok());
  CHECK(back->interests == u.interests);
  CHECK(back->session_budget == 3);
  CHECK(back->interest_neighbours == 4);
  CHECK(back->artist_discount_gamma == 0.5);
  CHECK(back->consume_bias == 4.25);
}

TEST_CASE("users.json defaults match docs/contracts.md §8", "[engine][world]") {
  auto u = world::ParseUserLine(
      R"({"user": 1, "interests": [0, 1, 2], "consume_bias": 1, "consume_sharpness": 0.5})", 3);
  REQUIRE(u.ok());
  CHECK(u->interest_neighbours == 10);
  CHECK(u->session_budget == 5);
  CHECK(u->artist_discount_gamma == 0.8);
}

TEST_CASE("users.json loader reports file:line and the field", "[engine][world]") {
  TempDir dir;
  const std::string good =
      R"({"user": 0, "interests": [0, 1, 2], "consume_bias": 1, "consume_sharpness": 1})";
  auto error_on_line_3 = [&](const std::string& bad) {
    WriteFile(dir / "users.json", good + "\n\n" + bad + "\n");
    auto r = world::LoadUsers(dir / "users.json", 5);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("users.json:3"));
    return r.status().message();
  };
  CHECK_THAT(
      error_on_line_3(
          R"({"user": 1, "interests": [0, 9, 2], "consume_bias": 1, "consume_sharpness": 1})"),
      Catch::Contains("interests[1]"));
  CHECK_THAT(error_on_line_3(
                 R"({"user": 1, "interests": [0, 1], "consume_bias": 1, "consume_sharpness": 1})"),
             Catch::Contains("array of 3"));
  CHECK_THAT(error_on_line_3(R"({"user": 1, "interests": [0, 1, 2], "consume_sharpness": 1})"),
             Catch::Contains("consume_bias"));
  CHECK_THAT(
      error_on_line_3(
          R"({"user": 0, "interests": [0, 1, 2], "consume_bias": 1, "consume_sharpness": 1})"),
      Catch::Contains("appears twice"));
  CHECK_THAT(
      error_on_line_3(
          R"({"user": 1, "interests": [0, 1, 2], "consume_bias": 1, "consume_sharpness": 1, "session_budget": 0})"),
      Catch::Contains("session_budget"));
  CHECK_THAT(error_on_line_3("{not json"), Catch::Contains("malformed JSON"));
}
