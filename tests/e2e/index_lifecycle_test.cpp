// The index lifecycle against the real server (docs/contracts.md §6): hot reload under load, crash
// safety of ingestion, and the admin CLI.
#include <rocksdb/sst_file_writer.h>
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "base/json_fields.h"
#include "storage/index_builder.h"
#include "storage/table_format.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

// Generation g gives every user 0..users-1 the list {10g, 10g+1, 10g+2}.
std::string BuildGeneration(const TempDir& dir, int g, int users, int list_length = 3) {
  std::string text;
  for (int u = 0; u < users; ++u) {
    text += "{\"user\": " + std::to_string(u) + ", \"tracks\": [";
    for (int i = 0; i < list_length; ++i) {
      text += (i ? ", " : "") + std::to_string(10 * g + i % 3);
    }
    text += "]}\n";
  }
  const std::string recs = dir / ("gen" + std::to_string(g) + ".jsonl");
  const std::string sst = dir / ("gen" + std::to_string(g) + ".sst");
  WriteFile(recs, text);
  auto catalog = catalog::Catalog::LoadJsonLines(dir / "tracks.json");
  REQUIRE(catalog.ok());
  storage::IndexBuildOptions options;
  options.duplicates = storage::IndexBuildOptions::Duplicates::kReject;
  Status s = storage::BuildIndexSst(recs, *catalog, sst, options, nullptr);
  REQUIRE(s.ok());
  return ReadFile(sst);
}

HttpReply PostIndex(TestServer& server, const std::string& bytes) {
  HttpClient admin(server.admin_port());
  return admin.Request("POST", "/admin/index/ub", bytes,
                       {{"Authorization", "Bearer " + server.token()}});
}

std::uint64_t DirBytes(const std::string& dir) {
  std::uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

int GenerationServed(HttpClient& client, int user) {
  auto reply = client.Post("/next/" + std::to_string(user), R"({"track": 0, "time": 1})");
  REQUIRE(reply.status == 200);
  return static_cast<int>(ParseObject(reply.body)->at("track").as_int64() / 10);
}

constexpr const char* kIndexedForAll = R"({"default": "indexed:ub"})";

// `botify index load --name ub <args>` against `server` (token in dir/token); the exit
// code, the output in *out.
int LoadUb(const TempDir& dir, const TestServer& server, std::vector<std::string> args,
           std::string* out) {
  args.insert(args.begin(), {BOTIFY_CLI_BINARY, "index", "load", "--name", "ub"});
  args.insert(args.end(), {"--server", "127.0.0.1:" + std::to_string(server.admin_port()),
                           "--token-file", dir / "token"});
  return RunCommand(args, out);
}

}  // namespace

TEST_CASE(
    "index reloads under load: no failed request, and each client sees generations "
    "switch atomically and in order",
    "[e2e][index]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
  const int users = 2000;
  std::vector<std::string> generations;
  for (int g = 1; g <= 5; ++g) generations.push_back(BuildGeneration(dir, g, users));
  REQUIRE(PostIndex(server, generations[0]).status == 200);

  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, regressions{0}, foreign{0}, requests{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server.port());
      int seen = 1;
      for (int i = 0; !done.load() && i < 200000; ++i) {
        auto reply = client.Post("/next/" + std::to_string((i * 7 + c) % users),
                                 R"({"track": 0, "time": 0.5})");
        ++requests;
        if (reply.status != 200) {
          ++failures;
          continue;
        }
        const auto track = ParseObject(reply.body)->at("track").as_int64();
        const int g = static_cast<int>(track / 10);
        if (track % 10 > 2 || g < 1 || g > 5) ++foreign;  // not from any complete generation
        if (g < seen) ++regressions;
        seen = std::max(seen, g);
      }
    });
  }
  for (int g = 2; g <= 5; ++g) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    auto reply = PostIndex(server, generations[g - 1]);
    REQUIRE(reply.status == 200);
    CHECK(storage::IndexMeta::FromJson(reply.body)->generation == static_cast<std::uint64_t>(g));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  done = true;
  for (auto& t : clients) t.join();
  INFO(requests.load() << " requests");
  CHECK(requests.load() > 1000);
  CHECK(failures.load() == 0);
  CHECK(foreign.load() == 0);
  CHECK(regressions.load() == 0);
  HttpClient client(server.port());
  CHECK(GenerationServed(client, 17) == 5);
  REQUIRE(server.Stop() == 0);
}

TEST_CASE(
    "SIGKILL during ingestion leaves the previous generation serving; the database "
    "stays bounded over 20 crashes",
    "[e2e][index][crash]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  const int users = 10000;
  const std::string gen1 = BuildGeneration(dir, 1, users, 100);
  const std::string gen2 = BuildGeneration(dir, 2, users, 100);
  {
    TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
    REQUIRE(PostIndex(server, gen1).status == 200);
    REQUIRE(server.Stop() == 0);
  }
  const std::uint64_t baseline = DirBytes(dir / "db");
  std::mt19937 rng(7);
  // Generations that may serve after a restart: the last acknowledged load, plus any load
  // attempted since (it may have completed just before the kill, unacknowledged).
  std::set<int> allowed = {1};
  std::uint64_t largest = 0;
  for (int round = 0; round < 20; ++round) {
    TestServer server(dir, {"", kIndexedForAll});
    HttpClient client(server.port());
    const int served = GenerationServed(client, round * 37 % users);
    INFO("round " << round << ": serves generation " << served);
    CHECK(allowed.count(served) == 1);
    // Whatever happened before, one complete generation serves every user.
    for (int u = 0; u < users; u += 997) CHECK(GenerationServed(client, u) == served);
    const int next = 3 - served;
    allowed = {served, next};
    std::thread loader([&] {
      try {
        if (PostIndex(server, next == 2 ? gen2 : gen1).status == 200) allowed = {next};
      } catch (const std::exception&) {
        // the server died mid-request: expected
      }
    });
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60000));
    server.Kill();
    loader.join();
    largest = std::max(largest, DirBytes(dir / "db"));
  }
  TestServer server(dir, {"", kIndexedForAll});
  HttpClient client(server.port());
  CHECK(GenerationServed(client, 5) >= 1);
  REQUIRE(server.Stop() == 0);
  INFO("baseline " << baseline << " bytes, largest " << largest << " bytes");
  // Two generations at most, plus RocksDB's logs and manifests; never growing per crash.
  CHECK(largest < baseline * 3 + (8u << 20));
  CHECK(DirBytes(dir / "db") < baseline * 3 + (8u << 20));
}

TEST_CASE("botify index build/load/status drive a running server", "[e2e][index][cli]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
  WriteFile(dir / "recs.jsonl",
            "{\"user\": 1, \"tracks\": [42, 43]}\n{\"user\": 2, \"tracks\": [44]}\n");
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "recs.jsonl", "--tracks",
                      dir / "tracks.json", "--out", dir / "ub.sst"},
                     &out) == 0);
  const std::string admin = "127.0.0.1:" + std::to_string(server.admin_port());
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", dir / "ub.sst",
                      "--server", admin, "--token-file", dir / "token"},
                     &out) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 1 | user | 2 | 3 |"));
  HttpClient client(server.port());
  CHECK(ParseObject(client.Post("/next/2", R"({"track": 0, "time": 1})").body)
            ->at("track")
            .as_int64() == 44);

  // A bad file: rejected with the line, and the serving index is untouched.
  WriteFile(dir / "bad.jsonl",
            "{\"user\": 1, \"tracks\": [42]}\n{\"user\": 2, \"tracks\": [500]}\n");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "bad.jsonl", "--tracks",
                    dir / "tracks.json", "--out", dir / "bad.sst"},
                   &out) == 2);
  CHECK_THAT(out, Catch::Contains("bad.jsonl:2") && Catch::Contains("500"));
  CHECK_FALSE(fs::exists(dir / "bad.sst"));
  WriteFile(dir / "junk.sst", "not an sst");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", dir / "junk.sst",
                    "--server", admin, "--token-file", dir / "token"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("previous generation keeps serving"));
  CHECK(ParseObject(client.Post("/next/2", R"({"track": 0, "time": 1})").body)
            ->at("track")
            .as_int64() == 44);

  WriteFile(dir / "wrong.token", "0000000000000000000000");
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "index", "status", "--server", admin, "--token-file",
                    dir / "wrong.token"},
                   &out) != 0);
  CHECK_THAT(out, Catch::Contains("401"));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "status", "--server", admin, "--token-file",
                      dir / "token"},
                     &out) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 1 | user | 2 | 3 |"));
  REQUIRE(server.Stop() == 0);
  // Offline status on the stopped server's database; ldb (rocksdb-tools) sees the families.
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "status", "--db", dir / "db"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 1 |"));
  if (fs::exists("/usr/bin/ldb")) {
    REQUIRE(RunCommand({"/usr/bin/ldb", "--db=" + (dir / "db"), "list_column_families"}, &out) ==
            0);
    CHECK_THAT(out, Catch::Contains("catalog") && Catch::Contains("idx.ub.1"));
  }
}

TEST_CASE("index load --import ingests a file from the server's import folder, no upload",
          "[e2e][index][cli]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  fs::create_directories(dir / "import");
  TestServer server(dir, {dir / "tracks.json",
                          kIndexedForAll,
                          {"--admin-import-dir", dir / "import", "--admin-body-limit", "64"}});
  WriteFile(dir / "recs.jsonl",
            "{\"user\": 1, \"tracks\": [42, 43]}\n{\"user\": 2, \"tracks\": [44]}\n");
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "recs.jsonl", "--tracks",
                      dir / "tracks.json", "--out", dir / "import/ub.sst"},
                     &out) == 0);
  auto load = [&](const std::vector<std::string>& args) { return LoadUb(dir, server, args, &out); };
  // The SST is larger than the 64-byte admin body limit: only an import can load it.
  REQUIRE(fs::file_size(dir / "import/ub.sst") > 64);
  CHECK(load({"--sst", dir / "import/ub.sst"}) != 0);
  CHECK_THAT(out, Catch::Contains("413"));
  REQUIRE(load({"--import", "ub.sst"}) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 1 | user | 2 | 3 |"));
  HttpClient client(server.port());
  CHECK(ParseObject(client.Post("/next/2", R"({"track": 0, "time": 1})").body)
            ->at("track")
            .as_int64() == 44);
  // The import folder's file stays for the next host or the next load.
  CHECK(fs::exists(dir / "import/ub.sst"));
  REQUIRE(load({"--import", "ub.sst"}) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 2 | user | 2 | 3 |"));

  // Only plain names inside the folder; a missing file is 404; junk keeps the old index.
  CHECK(load({"--import", "../tracks.json"}) != 0);
  CHECK_THAT(out, Catch::Contains("400") && Catch::Contains("file name in the import folder"));
  CHECK(load({"--import", "nope.sst"}) != 0);
  CHECK_THAT(out, Catch::Contains("404") && Catch::Contains("nope.sst"));
  WriteFile(dir / "import/junk.sst", "not an sst");
  CHECK(load({"--import", "junk.sst"}) != 0);
  CHECK_THAT(out, Catch::Contains("previous generation keeps serving") &&
                      Catch::Contains("import/junk.sst"));
  CHECK(ParseObject(client.Post("/next/2", R"({"track": 0, "time": 1})").body)
            ->at("track")
            .as_int64() == 44);
  CHECK(load({"--import", "ub.sst", "--sst", dir / "import/ub.sst"}) != 0);
  CHECK(load({}) != 0);
  CHECK_THAT(out, Catch::Contains("one of --sst"));
}

TEST_CASE("a server without --admin-import-dir refuses imports and says how to enable them",
          "[e2e][index][cli]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", kIndexedForAll});
  HttpClient admin(server.admin_port());
  auto reply = admin.Request("POST", "/admin/index/ub?import=ub.sst", "",
                             {{"Authorization", "Bearer " + server.token()}});
  CHECK(reply.status == 409);
  CHECK_THAT(reply.body, Catch::Contains("--admin-import-dir"));
}

TEST_CASE("index load --db into a database without a catalog imports --tracks, or says to",
          "[e2e][index]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 50);
  WriteFile(dir / "recs.jsonl", "{\"user\": 1, \"tracks\": [1, 2, 3]}\n");
  std::string output;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "recs.jsonl", "--tracks",
                      dir / "tracks.json", "--out", dir / "ub.sst"},
                     &output) == 0);
  CHECK(RunCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", dir / "ub.sst",
                    "--db", dir / "db"},
                   &output) != 0);
  CHECK_THAT(output, Catch::Contains("no catalog; pass --tracks tracks.json"));
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", dir / "ub.sst",
                      "--db", dir / "db", "--tracks", dir / "tracks.json"},
                     &output) == 0);
  CHECK_THAT(output, Catch::Contains("| ub | 1 | user | 1 | 3 |"));
}

namespace {

// An index file as `botify index build` would write one for no lists: its metadata alone.
std::string WriteEmptyIndex(const std::string& path) {
  storage::IndexMeta meta;  // lists 0, tracks 0
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), storage::IndexSstWriterOptions());
  REQUIRE(writer.Open(path).ok());
  REQUIRE(writer.Put("", meta.ToJson()).ok());
  REQUIRE(writer.Finish().ok());
  return path;
}

}  // namespace

TEST_CASE(
    "an index with no lists is refused by upload, --import and --db unless --allow-empty, and "
    "the good generation keeps serving",
    "[e2e][index][cli]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  fs::create_directories(dir / "import");
  WriteFile(dir / "recs.jsonl", "{\"user\": 2, \"tracks\": [44]}\n");
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "recs.jsonl", "--tracks",
                      dir / "tracks.json", "--out", dir / "ub.sst"},
                     &out) == 0);
  WriteEmptyIndex(dir / "import/empty.sst");
  {
    TestServer server(
        dir, {dir / "tracks.json", kIndexedForAll, {"--admin-import-dir", dir / "import"}});
    auto load = [&](const std::vector<std::string>& args) {
      return LoadUb(dir, server, args, &out);
    };
    REQUIRE(load({"--sst", dir / "ub.sst"}) == 0);
    HttpClient client(server.port());
    auto served = [&] { return TrackOf(client.Post("/next/2", R"({"track": 0, "time": 1})")); };
    REQUIRE(served() == 44);
    CHECK(load({"--sst", dir / "import/empty.sst"}) != 0);
    CHECK_THAT(out, Catch::Contains("400") && Catch::Contains("holds no lists") &&
                        Catch::Contains("--allow-empty"));
    CHECK(load({"--import", "empty.sst"}) != 0);
    CHECK_THAT(out, Catch::Contains("holds no lists") && Catch::Contains("import/empty.sst"));
    CHECK(served() == 44);  // the good generation still serves
    HttpClient raw(server.admin_port());
    CHECK(raw.Request("POST", "/admin/index/ub?import=empty.sst&allow_empty=maybe", "",
                      {{"Authorization", "Bearer " + server.token()}})
              .status == 400);
    // Asked for explicitly, it loads: user 2 then has no list and gets the fallback.
    REQUIRE(load({"--import", "empty.sst", "--allow-empty"}) == 0);
    CHECK_THAT(out, Catch::Contains("| ub | 2 | user | 0 | 0 |"));
    REQUIRE(load({"--sst", dir / "ub.sst"}) == 0);
    REQUIRE(load({"--sst", dir / "import/empty.sst", "--allow-empty"}) == 0);
    CHECK_THAT(out, Catch::Contains("| ub | 4 | user | 0 | 0 |"));
    REQUIRE(server.Stop() == 0);
  }
  // The same offline, into the stopped server's database.
  const std::vector<std::string> offline = {BOTIFY_CLI_BINARY, "index", "load",
                                            "--name",          "ub",    "--db",
                                            dir / "db",        "--sst", dir / "import/empty.sst"};
  CHECK(RunCommand(offline, &out) == 2);
  CHECK_THAT(out, Catch::Contains("holds no lists"));
  auto allowed = offline;
  allowed.push_back("--allow-empty");
  REQUIRE(RunCommand(allowed, &out) == 0);
  CHECK_THAT(out, Catch::Contains("| ub | 5 | user | 0 | 0 |"));
}
