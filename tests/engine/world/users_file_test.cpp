#include "engine/world/users_file.h"

#include <algorithm>
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

// The original simulator reads any number of interests, defaults consume_bias (5.0) and
// consume_sharpness (1.0), and ignores fields it does not model (the 2026 course's
// "openness"); so does botify.
TEST_CASE("users.json reads every course year's users", "[engine][world]") {
  std::vector<std::string> fields;
  auto one = world::ParseUserLine(
      R"({"user": 0, "interests": [4], "interest_neighbours": 10, "consume_bias": 0.3, )"
      R"("consume_sharpness": 9.5, "session_budget": 3, "artist_discount_gamma": 0.54, )"
      R"("openness": 0.61})",
      10, &fields);
  REQUIRE(one.ok());
  CHECK(one->interests == std::vector<TrackId>{4});
  CHECK(one->consume_sharpness == 9.5);
  CHECK(one->session_budget == 3);
  CHECK(fields.size() == 8);
  CHECK(std::count(fields.begin(), fields.end(), "openness") == 1);
  CHECK_FALSE(world::IsUserField("openness"));
  CHECK(world::IsUserField("artist_discount_gamma"));
  auto six = world::ParseUserLine(R"({"user": 1, "interests": [9, 8, 7, 6, 5, 9]})", 10);
  REQUIRE(six.ok());
  CHECK(six->interests == std::vector<TrackId>{9, 8, 7, 6, 5, 9});
  CHECK(six->consume_bias == 5.0);
  CHECK(six->consume_sharpness == 1.0);
  std::string line;
  world::AppendUserLine(&line, *six);
  CHECK(line ==
        "{\"user\": 1, \"interests\": [9, 8, 7, 6, 5, 9], \"consume_bias\": 5, "
        "\"consume_sharpness\": 1}\n");
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
  CHECK_THAT(
      error_on_line_3(R"({"user": 1, "interests": [], "consume_bias": 1, "consume_sharpness": 1})"),
      Catch::Contains("one or more track ids"));
  CHECK_THAT(error_on_line_3(R"({"user": 1, "interests": [0, 1, 2], "consume_bias": "x"})"),
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
