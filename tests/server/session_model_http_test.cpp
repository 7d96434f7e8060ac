// The session model arm (session_model:NAME) through the real server over HTTP.
#include <catch2/catch.hpp>
#include <set>

#include "engine/serving/session_model_file.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;

namespace {

constexpr int kTracks = 60;

// Tracks 0..29 point along (1, 0), 30..59 along (0, 1), each a little longer than the one
// before it in its half: within a half a higher id scores higher. Artists t % 6.
void WriteModel(const std::string& path) {
  serving::SessionModelTables t;
  t.tracks = kTracks;
  t.dim = 2;
  for (int i = 0; i < kTracks; ++i) {
    const float length = 1 + 0.1f * static_cast<float>(i % 30);
    t.target.push_back(i < 30 ? length : 0);
    t.target.push_back(i < 30 ? 0 : length);
  }
  t.bias.assign(kTracks, 0.0f);
  t.gamma = 0.5f;
  t.time_weight.fill(0.0f);
  REQUIRE(serving::WriteSessionModelFile(path, t).ok());
}

// Every track's candidates: every other track.
std::string AllCandidates() {
  std::string lines;
  for (int t = 0; t < kTracks; ++t) {
    lines += "{\"track\": " + std::to_string(t) + ", \"recommendations\": [";
    bool first = true;
    for (int c = 0; c < kTracks; ++c) {
      if (c == t) continue;
      lines += (first ? "" : ", ") + std::to_string(c);
      first = false;
    }
    lines += "]}\n";
  }
  return lines;
}

std::string Body(std::int64_t track, double time) {
  return "{\"track\": " + std::to_string(track) + ", \"time\": " + std::to_string(time) + "}";
}

}  // namespace

TEST_CASE(
    "session_model serves the best unseen candidate of the session's direction, "
    "loaded and reloaded through the admin API",
    "[server][http][session]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", kTracks, 6);
  TestServer server(dir, {dir / "tracks.json", R"({"default": "session_model:sm"})", {}});
  HttpClient client(server.port());
  // Before the index is loaded: a random track, never an error.
  auto reply = client.Post("/next/1", Body(3, 1.0));
  REQUIRE(reply.status == 200);
  CHECK(TrackOf(reply) < kTracks);
  REQUIRE(client.Post("/last/1", Body(TrackOf(reply), 0.5)).status == 200);

  WriteModel(dir / "sm.model");
  auto loaded = LoadIndex(dir, server, "sm", AllCandidates(), dir / "sm.model");
  REQUIRE(loaded.status == 200);
  CHECK_THAT(loaded.body, Catch::Contains("\"session_model_bytes\":"));

  // A session that began at 35, along (0, 1): the best candidates of unplayed artists
  // first, never a repeat, the other half only once this one is used up.
  std::set<std::int64_t> played{35};
  std::int64_t track = 35;
  std::vector<std::int64_t> answers;
  for (int step = 0; step < 29; ++step) {
    reply = client.Post("/next/7", Body(track, 1.0));
    REQUIRE(reply.status == 200);
    track = TrackOf(reply);
    INFO("step " << step << " track " << track);
    REQUIRE(played.insert(track).second);
    CHECK(track >= 30);
    answers.push_back(track);
  }
  CHECK(answers[0] == 58);  // 59 scores higher, but its artist (5) played: 35
  CHECK(answers[1] == 57);
  reply = client.Post("/next/7", Body(track, 1.0));
  CHECK(TrackOf(reply) < 30);  // the half is used up
  REQUIRE(client.Post("/last/7", Body(TrackOf(reply), 1.0)).status == 200);

  // A new session starts afresh; a reload mid-session keeps answering from the new one.
  reply = client.Post("/next/7", Body(2, 1.0));
  CHECK(TrackOf(reply) == 29);
  REQUIRE(LoadIndex(dir, server, "sm", AllCandidates(), dir / "sm.model").status == 200);
  reply = client.Post("/next/7", Body(29, 1.0));
  CHECK(TrackOf(reply) == 28);
  HttpClient admin(server.admin_port());
  const auto status =
      admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer " + server.token()}});
  CHECK_THAT(status.body, Catch::Contains("\"generation\":2"));
}
