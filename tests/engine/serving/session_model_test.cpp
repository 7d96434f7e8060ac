#include "engine/serving/session_model.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "engine/serving/session_model_file.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::serving;
using Catch::Detail::Approx;

namespace {

// 3 tracks in 2 dims: track 0 = (1, 0), 1 = (0, 1), 2 = (1, 1); biases 0, 0.5, -0.5.
SessionModelTables Tiny() {
  SessionModelTables t;
  t.tracks = 3;
  t.dim = 2;
  t.target = {1, 0, 0, 1, 1, 1};
  t.bias = {0, 0.5f, -0.5f};
  t.offset = -1;
  t.gamma = 0.5f;
  t.first_weight = 2;
  t.time_weight.fill(0);
  t.time_weight[100] = 1;   // a full listen pulls with weight 1
  t.time_weight[0] = -0.5;  // a skip pushes away
  return t;
}

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace

TEST_CASE("session model: the state folds plays and scores candidates as documented",
          "[engine][session]") {
  const SessionModel model(Tiny());
  std::vector<float> state(model.state_size());
  REQUIRE(state.size() == 8);  // S, Z, padded to a multiple of 8
  model.Start(0, state);       // S = 2 * (1, 0), Z = 2: q = (1, 0)
  CHECK(state == std::vector<float>{2, 0, 2, 0, 0, 0, 0, 0});
  auto q = model.QueryOf(state);
  CHECK(model.Score(q, 0) == Approx(1.0));
  CHECK(model.Score(q, 1) == Approx(0.5));
  CHECK(model.Score(q, 2) == Approx(0.5));
  CHECK(model.PredictTime(1.0f, 0) == Approx(Sigmoid(0)));
  CHECK(model.PredictTime(1.0f, 2) == Approx(Sigmoid(0) * 0.25));
  model.Observe(1, 1.0, 0, state);  // S += (0, 1), Z = 3: q = (2/3, 1/3)
  CHECK(state == std::vector<float>{2, 1, 3, 0, 0, 0, 0, 0});
  model.Observe(2, 0.0, 0, state);  // S -= 0.5 (1, 1), Z stays: q = (0.5, 1/6)
  CHECK(state[0] == Approx(1.5));
  CHECK(state[1] == Approx(0.5));
  CHECK(state[2] == Approx(3));
  model.Observe(2, 0.42, 0, state);  // weight 0: nothing moves
  CHECK(state[0] == Approx(1.5));
  q = model.QueryOf(state);
  CHECK(model.Score(q, 2) == Approx(2.0 / 3 - 0.5));
}

TEST_CASE(
    "session model: the surprise step moves the query towards a play that beat its "
    "prediction and away from one that fell short",
    "[engine][session]") {
  SessionModelTables t = Tiny();
  t.time_weight.fill(0);
  t.surprise_weight = 0.5f;
  const SessionModel model(std::move(t));
  std::vector<float> state(model.state_size());
  model.Start(0, state);  // q = (1, 0), Z = 2
  // Track 1 predicted sigmoid(0.5 - 1); listened 1.0 at k = 1, gamma 0.5: y = min(1, 2) = 1.
  const double step = 0.5 * (1 - Sigmoid(-0.5));
  model.Observe(1, 1.0, 1, state);
  CHECK(state[0] == Approx(2));
  CHECK(state[1] == Approx(2 * step));  // S moves by Z * step * context[1]
  CHECK(state[2] == Approx(2));         // Z does not
  // A skip of track 2 (predicted about 0.4) pulls q away from (1, 1).
  const auto before = std::vector<float>(state);
  model.Observe(2, 0.0, 0, state);
  CHECK(state[0] < before[0]);
  CHECK(state[1] < before[1]);
}

TEST_CASE("session model: ScoreBound is where a candidate can no longer beat a time",
          "[engine][session]") {
  const SessionModel model(Tiny());
  for (double time : {0.1, 0.5, 0.93}) {
    const float bound = model.ScoreBound(time);
    CHECK(model.PredictTime(bound, 0) == Approx(time));
    CHECK(model.PredictTime(std::nextafter(bound, -1e9f), 0) <= time);
  }
  CHECK(std::isinf(model.ScoreBound(0)));
  CHECK(model.ScoreBound(0) < 0);
}

TEST_CASE("session model: tables are validated", "[engine][session]") {
  CHECK(Tiny().Validate().ok());
  auto broken = [](auto change) {
    SessionModelTables t = Tiny();
    change(t);
    return t.Validate();
  };
  CHECK_FALSE(broken([](auto& t) { t.bias.pop_back(); }).ok());
  CHECK_FALSE(broken([](auto& t) { t.context = {1, 2}; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.target[3] = NAN; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.gamma = 0; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.gamma = 1.5f; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.first_weight = 0; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.surprise_weight = -1; }).ok());
  CHECK_FALSE(broken([](auto& t) { t.dim = 0; }).ok());
  CHECK(broken([](auto& t) { t.context = {0, 1, 1, 0, 1, 1}; }).ok());
}

TEST_CASE("session model file: round trip, and damage is named", "[engine][session]") {
  testing::TempDir dir;
  SessionModelTables t = Tiny();
  t.context = {0, 1, 1, 0, 2, 2};
  t.surprise_weight = 0.25f;
  REQUIRE(WriteSessionModelFile(dir / "m.model", t).ok());
  auto back = ReadSessionModelFile(dir / "m.model");
  REQUIRE(back.ok());
  CHECK(back->tracks == 3);
  CHECK(back->dim == 2);
  CHECK(back->target == t.target);
  CHECK(back->context == t.context);
  CHECK(back->bias == t.bias);
  CHECK(back->time_weight == t.time_weight);
  CHECK(back->offset == t.offset);
  CHECK(back->gamma == t.gamma);
  CHECK(back->first_weight == t.first_weight);
  CHECK(back->surprise_weight == t.surprise_weight);

  const std::string bytes = EncodeSessionModel(t);
  auto message = [&](std::string damaged) {
    auto r = DecodeSessionModel(damaged, "m.model");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK_THAT(message(bytes.substr(0, bytes.size() - 1)),
             Catch::Contains("m.model") && Catch::Contains("bytes"));
  std::string flipped = bytes;
  flipped[60] ^= 1;
  CHECK_THAT(message(flipped), Catch::Contains("CRC-32 mismatch"));
  CHECK_THAT(message("hello"), Catch::Contains("magic"));
  std::string version = bytes;
  version[8] = 9;
  CHECK_THAT(message(version), Catch::Contains("version 9"));
  CHECK_THAT(message(""), Catch::Contains("magic"));
}
