// Corrupt index files against the real server (issue 20): a damaged upload is refused
// under traffic while the previous generation keeps serving, and a generation damaged on
// disk while the server was down is left out at start-up instead of killing the server.
#include <rocksdb/sst_file_writer.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "base/json_fields.h"
#include "storage/codec.h"
#include "storage/index_builder.h"
#include "storage/index_file_check.h"
#include "storage/table_format.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;

namespace {

constexpr int kTracks = 200;
constexpr int kUsers = 300;
constexpr const char* kIndexedForAll = R"({"default": "indexed:ub"})";

// The issue's reproduction: user u gets {u, u+1, u+7} mod 200. Returns the SST path.
std::string BuildIssueIndex(const TempDir& dir, const std::string& name) {
  std::string text;
  for (int u = 0; u < kUsers; ++u) {
    text += "{\"user\": " + std::to_string(u) + ", \"tracks\": [" + std::to_string(u % 200) + ", " +
            std::to_string((u + 1) % 200) + ", " + std::to_string((u + 7) % 200) + "]}\n";
  }
  WriteFile(dir / "recs.jsonl", text);
  auto catalog = catalog::Catalog::LoadJsonLines(dir / "tracks.json");
  REQUIRE(catalog.ok());
  REQUIRE(storage::BuildIndexSst(dir / "recs.jsonl", *catalog, dir / name, {}, nullptr).ok());
  return dir / name;
}

bool FromIssueList(int user, std::int64_t track) {
  return track == user % 200 || track == (user + 1) % 200 || track == (user + 7) % 200;
}

// Valid keys and metadata, but user 3's value is 5 bytes: not a packed track list.
std::string BuildUndecodableIndex(const TempDir& dir) {
  const std::string path = dir / "values.sst";
  storage::IndexMeta meta;
  meta.lists = 2;
  meta.tracks = 2;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), storage::IndexSstWriterOptions());
  REQUIRE(writer.Open(path).ok());
  REQUIRE(writer.Put("", meta.ToJson()).ok());
  REQUIRE(
      writer.Put(storage::EncodeIdKey(1), storage::EncodeTrackList(std::vector<TrackId>{5})).ok());
  REQUIRE(writer.Put(storage::EncodeIdKey(3), "abcde").ok());
  REQUIRE(writer.Finish().ok());
  return path;
}

HttpReply PostIndex(TestServer& server, const std::string& bytes) {
  HttpClient admin(server.admin_port());
  return admin.Request("POST", "/admin/index/ub", bytes,
                       {{"Authorization", "Bearer " + server.token()}});
}

std::int64_t NextTrack(HttpClient& client, int user) {
  auto reply = client.Post("/next/" + std::to_string(user), R"({"track": 0, "time": 1})");
  REQUIRE(reply.status == 200);
  return ParseObject(reply.body)->at("track").as_int64();
}

// /next requests from a thread, bounded in count and time, until Finish().
class Traffic {
 public:
  explicit Traffic(unsigned short port)
      : thread_([this, port] {
          HttpClient client(port);
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
          for (int i = 0; !done_ && i < 50000 && std::chrono::steady_clock::now() < deadline; ++i) {
            const int user = i % kUsers;
            try {
              auto reply =
                  client.Post("/next/" + std::to_string(user), R"({"track": 0, "time": 1})");
              ++requests_;
              if (reply.status != 200) {
                ++failures_;
              } else if (!FromIssueList(user, ParseObject(reply.body)->at("track").as_int64())) {
                ++foreign_;  // not from the old generation's list
              }
            } catch (const std::exception&) {
              ++failures_;
            }
          }
        }) {}
  void Finish() {
    done_ = true;
    thread_.join();
  }
  int requests() const { return requests_; }
  int failures() const { return failures_; }
  int foreign() const { return foreign_; }

 private:
  std::atomic<bool> done_{false};
  std::atomic<int> requests_{0}, failures_{0}, foreign_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE(
    "corrupt index uploads are refused under traffic; the old generation keeps "
    "serving and /metrics counts each failure",
    "[e2e][index][corrupt]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", kTracks);
  TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
  const std::string good = ReadFile(BuildIssueIndex(dir, "ok.sst"));
  REQUIRE(PostIndex(server, good).status == 200);

  const std::string flip = BuildIssueIndex(dir, "flip.sst");
  FlipMiddleBit(flip);
  std::mt19937 rng(20);
  std::string random_bytes(16384, '\0');
  for (char& c : random_bytes) c = static_cast<char>(rng());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {ReadFile(flip), "checksum mismatch"},
      {good.substr(0, good.size() / 2), "truncated"},
      {random_bytes, "not an index built by botify"},
      {ReadFile(BuildUndecodableIndex(dir)), "the list for user 3 does not decode"},
  };
  Traffic traffic(server.port());
  for (const auto& [bytes, problem] : bad) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto reply = PostIndex(server, bytes);
    INFO(reply.body);
    CHECK(reply.status == 400);
    CHECK_THAT(reply.body, Catch::Contains("previous generation keeps serving") &&
                               Catch::Contains("the uploaded file: ") && Catch::Contains(problem));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  traffic.Finish();
  INFO(traffic.requests() << " requests");
  CHECK(traffic.requests() > 100);
  CHECK(traffic.failures() == 0);
  CHECK(traffic.foreign() == 0);

  HttpClient client(server.port());
  for (int user : {0, 10, 199, 299}) CHECK(FromIssueList(user, NextTrack(client, user)));
  const std::string metrics = client.Get("/metrics").body;
  CHECK_THAT(metrics, Catch::Contains(R"(botify_index_load_failures_total{name="ub"} 4)"));
  CHECK_THAT(metrics, Catch::Contains("botify_reload_failures_total 4"));
  CHECK_THAT(metrics, Catch::Contains(R"(botify_index_generation{name="ub"} 1)"));
  CHECK_THAT(metrics, Catch::Contains(R"(botify_index_read_errors_total{name="ub"} 0)"));

  // The CLI names the file it was given.
  std::string out;
  CHECK(RunCommand(
            {BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", flip, "--server",
             "127.0.0.1:" + std::to_string(server.admin_port()), "--token-file", dir / "token"},
            &out) != 0);
  CHECK_THAT(out, Catch::Contains(flip + ": ") && Catch::Contains("checksum mismatch"));
  REQUIRE(server.Stop() == 0);
}

TEST_CASE(
    "a generation damaged on disk while the server was down is not served; the server "
    "starts, answers, says why, and serves again after a good load",
    "[e2e][index][corrupt]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", kTracks);
  const std::string good = ReadFile(BuildIssueIndex(dir, "ok.sst"));
  {
    TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
    REQUIRE(PostIndex(server, good).status == 200);
    REQUIRE(server.Stop() == 0);
  }
  const std::string sst = FindFile(dir / "db", ".sst", [](const std::string& path) {
    return storage::CheckIndexFile(path, kTracks).ok();  // the generation, not the catalog
  });
  REQUIRE_FALSE(sst.empty());
  FlipMiddleBit(sst);

  TestServer server(dir, {"", kIndexedForAll});
  CHECK_THAT(server.Stderr(), Catch::Contains("index ub is NOT served") &&
                                  Catch::Contains("index ub generation 1: ") &&
                                  Catch::Contains("checksum mismatch"));
  HttpClient client(server.port());
  for (int user = 0; user < kUsers; user += 7) {
    const auto track = NextTrack(client, user);  // Random fallback: any catalog track
    CHECK((track >= 0 && track < kTracks));
  }
  CHECK_THAT(client.Get("/metrics").body, Catch::Contains(R"(botify_index_served{name="ub"} 0)"));
  HttpClient admin(server.admin_port());
  const auto status =
      admin.Request("GET", "/admin/status", "", {{"Authorization", "Bearer " + server.token()}});
  CHECK_THAT(status.body,
             Catch::Contains(R"("served":false)") && Catch::Contains("checksum mismatch"));

  REQUIRE(PostIndex(server, good).status == 200);
  for (int user : {0, 10, 299}) CHECK(FromIssueList(user, NextTrack(client, user)));
  CHECK_THAT(client.Get("/metrics").body, Catch::Contains(R"(botify_index_served{name="ub"} 1)"));
  REQUIRE(server.Stop() == 0);
}

TEST_CASE("a second server on the same database exits cleanly saying it is locked",
          "[e2e][index][corrupt]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", kTracks);
  TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
  std::string out;
  const int code = RunCommand({BOTIFY_SERVER_BINARY, "--db", dir / "db", "--no-log", "--port", "0",
                               "--admin-port", "0", "--admin-token-file", dir / "token"},
                              &out, 60000);
  CHECK(code == 1);
  CHECK_THAT(out, Catch::Contains("database " + (dir / "db") + " is locked"));
  REQUIRE(server.Stop() == 0);
}

TEST_CASE(
    "a generation whose SST footer was damaged while the server was down: the server exits 1 "
    "naming that SST, not the MANIFEST",
    "[e2e][index][corrupt]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", kTracks);
  {
    TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
    REQUIRE(PostIndex(server, ReadFile(BuildIssueIndex(dir, "ok.sst"))).status == 200);
    REQUIRE(server.Stop() == 0);
  }
  const std::string sst = FindFile(dir / "db", ".sst", [](const std::string& path) {
    return storage::CheckIndexFile(path, kTracks).ok();  // the generation, not the catalog
  });
  REQUIRE_FALSE(sst.empty());
  {
    // The footer's last byte (its magic number).
    std::string bytes = ReadFile(sst);
    bytes.back() = static_cast<char>(bytes.back() ^ 0x5a);
    WriteFile(sst, bytes);
  }
  std::string out;
  CHECK(RunCommand({BOTIFY_SERVER_BINARY, "--db", dir / "db", "--no-log", "--port", "0",
                    "--admin-port", "0", "--admin-token-file", dir / "token"},
                   &out, 60000) == 1);
  const std::string file = std::filesystem::path(sst).filename().string();
  CHECK_THAT(out, Catch::Contains("cannot open database") &&
                      Catch::Contains("damaged table file(s)") && Catch::Contains(file + ": "));
}
