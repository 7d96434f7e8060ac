#include "engine/train/session/session_trainer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/random.h"

using namespace botify;
using namespace botify::train::session;

namespace {

// 40 tracks, track t by artist t % 8; two tastes: even artists (so even tracks) and odd.
// A session starts on a random track and plays random others; the listener keeps a track
// of the session's taste (0.9) and skips the rest (0.05), times `discount`^k for the k
// earlier plays of the artist. Repeats get 0, as the simulator gives them.
constexpr std::size_t kTracks = 40;
std::vector<ArtistId> Artists() {
  std::vector<ArtistId> a(kTracks);
  for (TrackId t = 0; t < kTracks; ++t) a[t] = t % 8;
  return a;
}

ListeningSessions TwoTastes(std::size_t sessions, std::uint64_t seed, double discount = 1.0) {
  Rng rng(seed);
  ListeningSessions out;
  const auto artists = Artists();
  for (std::size_t s = 0; s < sessions; ++s) {
    const auto first = static_cast<TrackId>(rng.Uniform(kTracks));
    std::vector<TrackId> played{first};
    std::vector<int> artist_plays(8, 0);
    ++artist_plays[artists[first]];
    out.tracks.push_back(first);
    out.times.push_back(1.0f);
    for (int i = 0; i < 8; ++i) {
      const auto t = static_cast<TrackId>(rng.Uniform(kTracks));
      const bool repeat = std::find(played.begin(), played.end(), t) != played.end();
      const double like = t % 2 == first % 2 ? 0.9 : 0.05;
      const double time = repeat ? 0.0 : like * std::pow(discount, artist_plays[artists[t]]);
      played.push_back(t);
      ++artist_plays[artists[t]];
      out.tracks.push_back(t);
      out.times.push_back(static_cast<float>(std::round(time * 100) / 100));
    }
    out.offsets.push_back(out.tracks.size());
    out.users.push_back(static_cast<UserId>(s));
  }
  return out;
}

SessionTrainOptions Small() {
  SessionTrainOptions o;
  o.dim = 4;
  o.epochs = 20;
  return o;
}

}  // namespace

TEST_CASE("session trainer: learns which tracks a session's plays point to", "[engine][session]") {
  const auto train = TwoTastes(3000, 1);
  const auto validation = TwoTastes(300, 2);
  const auto artists = Artists();
  std::vector<SessionEpochReport> reports;
  auto model = TrainSessionModel(train, validation, artists, Small(),
                                 [&](const SessionEpochReport& r) { reports.push_back(r); });
  REQUIRE(model.ok());
  REQUIRE(reports.size() == 20);
  // A constant prediction (the mean, ~0.45) has an RMSE of ~0.42 here.
  CHECK(reports.back().validation.rmse < 0.1);
  double mean = 0, constant = 0;
  std::size_t n = 0;
  for (std::size_t s = 0; s < validation.size(); ++s) {
    for (std::size_t i = 1; i < validation.Times(s).size(); ++i, ++n)
      mean += validation.Times(s)[i];
  }
  mean /= static_cast<double>(n);
  for (std::size_t s = 0; s < validation.size(); ++s) {
    for (std::size_t i = 1; i < validation.Times(s).size(); ++i) {
      const double t = validation.Times(s)[i];
      constant -= (t * std::log(mean) + (1 - t) * std::log(1 - mean)) / static_cast<double>(n);
    }
  }
  CHECK(reports.back().validation.log_loss < 0.7 * constant);
  // Serving's own state and scores reproduce the reported validation fit.
  const serving::SessionModel served(model->tables);
  const SessionFit fit = EvaluateSessionModel(served, validation, artists);
  CHECK(fit.targets == reports.back().validation.targets);
  CHECK(fit.log_loss == Catch::Detail::Approx(reports.back().validation.log_loss));
  // A session that began on a track scores its own taste above the other.
  std::vector<float> state(served.state_size());
  for (TrackId first = 0; first < kTracks; ++first) {
    served.Start(first, state);
    const auto q = served.QueryOf(state);
    const TrackId same = (first + 2) % kTracks, other = (first + 1) % kTracks;
    CHECK(served.Score(q, same) > served.Score(q, other));
  }
  CHECK(std::count(model->trained_target.begin(), model->trained_target.end(), true) == 40);
}

TEST_CASE("session trainer: the surprise step turns a session that starts on the wrong foot",
          "[engine][session]") {
  // In half the sessions (at random) the first track is of the other taste than the plays
  // that follow it, so it says nothing of the session's taste: only the feedback can.
  ListeningSessions flipped = TwoTastes(3000, 3);
  Rng coin(9);
  for (std::size_t s = 0; s < flipped.size(); ++s) {
    if (coin.Uniform(2) == 1) flipped.tracks[flipped.offsets[s]] ^= 1;
  }
  const auto artists = Artists();
  SessionTrainOptions o = Small();
  auto model = TrainSessionModel(flipped, {}, artists, o);
  REQUIRE(model.ok());
  const serving::SessionModel served(model->tables);
  // A session that began on 3 (odd) scores odd tracks higher; once the listener loved
  // even tracks and skipped odd ones, even tracks score higher.
  std::vector<float> state(served.state_size());
  served.Start(3, state);
  auto q = served.QueryOf(state);
  CHECK(served.Score(q, 12) < served.Score(q, 13));
  for (TrackId t : {4, 5, 6, 7, 8, 9}) served.Observe(t, t % 2 == 0 ? 0.9 : 0.05, 0, state);
  q = served.QueryOf(state);
  CHECK(served.Score(q, 12) > served.Score(q, 13));
  CHECK(served.Score(q, 20) > served.Score(q, 21));
}

TEST_CASE("session trainer: learns the artist discount from the logs", "[engine][session]") {
  const auto train = TwoTastes(4000, 4, /*discount=*/0.5);
  auto model = TrainSessionModel(train, {}, Artists(), Small());
  REQUIRE(model.ok());
  // Starts at 0.9; the plays say 0.5.
  CHECK(model->tables.gamma < 0.7f);
  CHECK(model->tables.gamma > 0.3f);
}

TEST_CASE("session trainer: reproducible from the seed; bad input refused", "[engine][session]") {
  const auto train = TwoTastes(300, 5);
  const auto artists = Artists();
  SessionTrainOptions o = Small();
  o.epochs = 3;
  auto a = TrainSessionModel(train, {}, artists, o);
  auto b = TrainSessionModel(train, {}, artists, o);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->tables.target == b->tables.target);
  CHECK(a->tables.bias == b->tables.bias);
  o.seed = 7;
  auto c = TrainSessionModel(train, {}, artists, o);
  CHECK(c->tables.target != a->tables.target);

  ListeningSessions outside = train;
  outside.tracks[5] = 40;
  auto bad = TrainSessionModel(outside, {}, artists, o);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("track 40"));
  ListeningSessions firsts_only;
  firsts_only.tracks = {1, 2};
  firsts_only.times = {1, 1};
  firsts_only.offsets = {0, 1, 2};
  firsts_only.users = {1, 2};
  CHECK_FALSE(TrainSessionModel(firsts_only, {}, artists, o).ok());
  o.dim = 0;
  CHECK_FALSE(TrainSessionModel(train, {}, artists, o).ok());
  o = Small();
  o.surprise_weight = -1;
  CHECK_FALSE(o.Validate().ok());
}
