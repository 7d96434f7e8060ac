#include "engine/catalog/recommendations_file.h"

#include <catch2/catch.hpp>

using namespace botify;

TEST_CASE("recommendation lines round-trip in both forms", "[engine][recommendations]") {
  std::string text;
  const TrackId tracks[] = {64, 10222, 2021};
  catalog::AppendRecommendationsLine(&text, catalog::ListKey::kUser, 0, tracks);
  CHECK(text == "{\"user\": 0, \"tracks\": [64, 10222, 2021]}\n");
  auto parsed = catalog::ParseRecommendationsLine(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->key == catalog::ListKey::kUser);
  CHECK(parsed->tracks == std::vector<TrackId>{64, 10222, 2021});

  text.clear();
  catalog::AppendRecommendationsLine(&text, catalog::ListKey::kTrack, 5, tracks);
  CHECK(text == "{\"track\": 5, \"recommendations\": [64, 10222, 2021]}\n");
  parsed = catalog::ParseRecommendationsLine(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->key == catalog::ListKey::kTrack);
  CHECK(parsed->id == 5);
}

TEST_CASE("bad recommendation lines say which field is wrong", "[engine][recommendations]") {
  auto r = catalog::ParseRecommendationsLine(R"({"user": 1, "tracks": [1, "x"]})");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("tracks[1]"));
  CHECK_FALSE(catalog::ParseRecommendationsLine(R"({"user": 1})").ok());
  CHECK_FALSE(catalog::ParseRecommendationsLine(R"({"user": -3, "tracks": []})").ok());
  CHECK_FALSE(catalog::ParseRecommendationsLine(R"({"tracks": [1]})").ok());
  CHECK_FALSE(catalog::ParseRecommendationsLine(R"([1,2])").ok());
}
