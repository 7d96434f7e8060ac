// The event log under load (SPEC §7): every acknowledged request is in exactly one sealed
// segment, segments rotate by size, and each holds whole, valid lines.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "engine/event.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

TEST_CASE("SIGTERM under load: acknowledged requests equal logged lines, in small sealed "
          "segments of whole lines", "[e2e][log]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", R"({"experiments": [{"name": "AA", "split": 2}]})",
                          {"--log-segment-bytes", "65536"}});
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server.port());
      for (int i = 0; i < 100000 && !stop.load(); ++i) {
        const std::string path = (i % 5 == 4 ? "/last/" : "/next/") + std::to_string(c * 1000 + i % 50);
        try {
          if (client.Post(path, R"({"track": 7, "time": 0.5})").status == 200) ++acknowledged;
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  while (acknowledged.load() < 5000) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& t : clients) t.join();
  REQUIRE(server.Stop() == 0);

  const auto lines = SealedLines(server.log_dir());
  CHECK(static_cast<int>(lines.size()) == acknowledged.load());
  std::size_t segments = 0;
  for (const auto& e : fs::directory_iterator(server.log_dir() + "/sealed")) {
    ++segments;
    const std::string text = ReadFile(e.path().string());
    CHECK(text.back() == '\n');
    CHECK(text.size() <= 65536);
    CHECK(e.path().filename().string().rfind("events-", 0) == 0);
  }
  CHECK(segments > 5);
  CHECK(fs::is_empty(server.log_dir() + "/active"));
  std::set<EventKind> kinds;
  for (const auto& line : lines) {
    auto event = ParseEvent(line);
    REQUIRE(event.ok());
    kinds.insert(event->kind);
    REQUIRE(event->ArmOf("AA") != nullptr);
  }
  CHECK(kinds.size() == 2);
}

TEST_CASE("a segment left in active/ by a crash is sealed whole at the next start",
          "[e2e][log]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 20);
  {
    TestServer server(dir, {dir / "tracks.json"});
    HttpClient client(server.port());
    for (int i = 0; i < 50; ++i) REQUIRE(client.Post("/next/1", R"({"track": 1, "time": 1})").status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // > flush interval
    server.Kill();
  }
  // Simulate a torn last write on top of what the killed server left.
  std::vector<fs::path> active;
  for (const auto& e : fs::directory_iterator(dir / "logs/active")) active.push_back(e.path());
  REQUIRE(active.size() == 1);
  {
    std::ofstream out(active[0], std::ios::app);
    out << R"({"message": "next", "timest)";
  }
  TestServer server(dir, {});
  REQUIRE(server.Stop() == 0);
  const auto lines = SealedLines(server.log_dir());
  CHECK(lines.size() == 50);
  for (const auto& line : lines) CHECK(ParseEvent(line).ok());
}

TEST_CASE("a second server on the same log folder is refused and the first keeps its segment",
          "[e2e][log]") {
  TempDir dir, other;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json"});
  HttpClient client(server.port());
  REQUIRE(client.Post("/next/1", R"({"track": 7, "time": 0.5})").status == 200);
  std::string output;
  const int code = RunCommand(
      {BOTIFY_SERVER_BINARY, "--db", other / "db", "--tracks", dir / "tracks.json", "--log-dir",
       server.log_dir(), "--port", "0", "--admin-port", "0", "--admin-token-file",
       other / "token"},
      &output, 30000);
  INFO(output);
  CHECK(code != 0);
  CHECK_THAT(output, Catch::Contains("in use by another botify-server (pid " +
                                     std::to_string(server.pid()) + ","));
  // The live server's segment was not sealed under it: what it answers is still logged.
  REQUIRE(client.Post("/next/1", R"({"track": 8, "time": 0.5})").status == 200);
  REQUIRE(server.Stop() == 0);
  CHECK(SealedLines(server.log_dir()).size() == 2);
}
