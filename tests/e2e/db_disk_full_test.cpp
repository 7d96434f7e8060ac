// An index load onto a nearly full database disk (docs/server.md, "Admin endpoints"): it is
// refused up front with 507 naming the free and the needed bytes, the previous generation
// keeps serving, and the process never dies of RocksDB failing to write for space (its
// diagnostic LOG is botify's own, which drops lines instead of asserting). Runs on a small
// tmpfs; skips where mounting is not permitted (not root).
#include <catch2/catch.hpp>
#include <filesystem>

#include "base/disk_space.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

constexpr int kTracks = 200;
constexpr int kUsers = 3000;

// Every user u gets {u % 200, (u + 1) % 200}; the SST is a few tens of KiB.
std::string BuildIndexFile(const TempDir& dir) {
  std::string text;
  for (int u = 0; u < kUsers; ++u) {
    text += "{\"user\": " + std::to_string(u) + ", \"tracks\": [" + std::to_string(u % kTracks) +
            ", " + std::to_string((u + 1) % kTracks) + "]}\n";
  }
  WriteFile(dir / "recs.jsonl", text);
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "recs.jsonl", "--tracks",
                      dir / "tracks.json", "--out", dir / "ub.sst"},
                     &out) == 0);
  return dir / "ub.sst";
}

// Takes space on the file system of `dir` (whose earlier filler it removes first) until
// `left` bytes are free (4 KiB pages).
void FillLeaving(const std::string& dir, std::uint64_t left) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().starts_with("filler-")) fs::remove(e.path());
  }
  auto free = FreeDiskBytes(dir);
  REQUIRE(free.ok());
  REQUIRE(*free > left);
  const std::string filler = dir + "/filler-" + std::to_string(*free);
  REQUIRE(RunCommand({"/usr/bin/fallocate", "-l", std::to_string((*free - left) / 4096 * 4096),
                      filler}) == 0);
}

// A 48 MiB tmpfs at dir/disk, a catalog and an index file (`sst`) outside it. Skips the
// test (ok() false) where mounting is not permitted.
struct SmallDbDisk {
  SmallDbDisk() : disk(dir / "disk", 48u << 20) {
    if (!disk.ok()) return;
    WriteCatalog(dir / "tracks.json", kTracks);
    sst = BuildIndexFile(dir);
  }
  bool ok() const {
    if (!disk.ok()) WARN("skipped: cannot mount a tmpfs here (needs root)");
    return disk.ok();
  }
  // `botify index load` of `sst` as index ub into `server`; its exit code, output in *out.
  int Load(const TestServer& server, std::string* out) const {
    return RunCommand(
        {BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", sst, "--server",
         "127.0.0.1:" + std::to_string(server.admin_port()), "--token-file", dir / "token"},
        out);
  }

  TempDir dir;
  SmallDisk disk;
  std::string sst;
};

}  // namespace

TEST_CASE(
    "an index load onto a full database disk is refused with 507 naming the free and needed "
    "bytes; the server keeps serving and stops with 0",
    "[e2e][index][disk]") {
  SmallDbDisk f;
  if (!f.ok()) return;
  // The database alone on the small disk; its staging folder (db.staging) is on the test's
  // own disk, so RocksDB copies the file in.
  TestServer::Options options{f.dir / "tracks.json", R"({"default": "indexed:ub"})"};
  options.db = f.dir / "disk";
  TestServer server(f.dir, options);
  std::string out;
  REQUIRE(f.Load(server, &out) == 0);  // room enough: the first load goes in
  HttpClient client(server.port());
  auto served = [&](int user) {
    auto reply = client.Post("/next/" + std::to_string(user), R"({"track": 0, "time": 1})");
    REQUIRE(reply.status == 200);
    return TrackOf(reply);
  };
  const auto listed = [](int user, std::int64_t track) {
    return track == user % kTracks || track == (user + 1) % kTracks;
  };
  REQUIRE(listed(5, served(5)));

  // The issue's case: a few KiB more free than the file.
  FillLeaving(f.dir / "disk", fs::file_size(f.sst) + 8192);
  CHECK(f.Load(server, &out) != 0);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("507") && Catch::Contains("not enough free space to ingest") &&
                      Catch::Contains("bytes free") && Catch::Contains("needed") &&
                      Catch::Contains("previous generation keeps serving"));
  for (int user : {5, 77, 2999}) CHECK(listed(user, served(user)));
  CHECK(client.Get("/readyz").status == 200);
  REQUIRE(server.Stop() == 0);
}

TEST_CASE(
    "an upload that does not fit the staging folder's disk is refused with 507 before "
    "anything is staged",
    "[e2e][index][disk]") {
  SmallDbDisk f;
  if (!f.ok()) return;
  TestServer::Options options{f.dir / "tracks.json"};
  options.db = f.dir / "disk/db";  // db.staging is on the same small disk
  TestServer server(f.dir, options);
  FillLeaving(f.dir / "disk", fs::file_size(f.sst) + 8192);
  std::string out;
  CHECK(f.Load(server, &out) != 0);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("507") && Catch::Contains("not enough free space to stage") &&
                      Catch::Contains(f.dir / "disk/db.staging"));
  CHECK(fs::is_empty(f.dir / "disk/db.staging"));
  HttpClient client(server.port());
  CHECK(client.Post("/next/5", R"({"track": 0, "time": 1})").status == 200);
  CHECK(server.Stop() == 0);
}

TEST_CASE(
    "with no headroom asked for, a load that fails for space inside RocksDB is an error, not "
    "a crash",
    "[e2e][index][disk]") {
  SmallDbDisk f;
  if (!f.ok()) return;
  // The database and its staging folder on one small disk: the upload is staged there and
  // hard-linked in, and RocksDB's own writes around the ingest are what runs out (before
  // its info LOG was botify's, one of them aborted the server at 20 KiB to spare).
  TestServer::Options options{
      f.dir / "tracks.json", R"({"default": "indexed:ub"})", {"--ingest-headroom-bytes", "0"}};
  options.db = f.dir / "disk/db";
  TestServer server(f.dir, options);
  std::string out;
  REQUIRE(f.Load(server, &out) == 0);
  // Room for the staged file and a few pages more or less.
  for (std::uint64_t spare = 4096; spare <= 48 * 1024; spare += 4096) {
    FillLeaving(f.dir / "disk", fs::file_size(f.sst) + spare);
    f.Load(server, &out);  // succeeds or fails; either way the server must live on
    INFO("spare " << spare << ": " << out);
    HttpClient client(server.port());
    REQUIRE(client.Post("/next/5", R"({"track": 0, "time": 1})").status == 200);
  }
  CHECK(server.Stop() == 0);
}
