// The event log under load (docs/contracts.md §7): every acknowledged request is in exactly one
// sealed segment, segments rotate by size, and each holds whole, valid lines.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "engine/eventlog/event.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

TEST_CASE(
    "SIGTERM under load: acknowledged requests equal logged lines, in small sealed "
    "segments of whole lines",
    "[e2e][log]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json",
                          R"({"experiments": [{"name": "AA", "split": 2}]})",
                          {"--log-segment-bytes", "65536"}});
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server.port());
      for (int i = 0; i < 100000 && !stop.load(); ++i) {
        const std::string path =
            (i % 5 == 4 ? "/last/" : "/next/") + std::to_string(c * 1000 + i % 50);
        try {
          if (client.Post(path, R"({"track": 7, "time": 0.5})").status == 200) ++acknowledged;
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  // Bounded: if the clients die (the server crashed), fail instead of spinning.
  const bool loaded = WaitUntil([&] { return acknowledged.load() >= 5000; });
  server.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& t : clients) t.join();
  REQUIRE(loaded);
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
  std::set<eventlog::EventKind> kinds;
  for (const auto& line : lines) {
    auto event = eventlog::ParseEvent(line);
    REQUIRE(event.ok());
    kinds.insert(event->kind);
    REQUIRE(event->ArmOf("AA") != nullptr);
  }
  CHECK(kinds.size() == 2);
}

TEST_CASE("a segment left in active/ by a crash is sealed whole at the next start", "[e2e][log]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 20);
  {
    TestServer server(dir, {dir / "tracks.json"});
    HttpClient client(server.port());
    for (int i = 0; i < 50; ++i)
      REQUIRE(client.Post("/next/1", R"({"track": 1, "time": 1})").status == 200);
    // SIGKILL only once all 50 are on disk (written, not yet sealed), whatever the load.
    REQUIRE(WaitUntil([&] {
      return MetricValue(client.Get("/metrics").body, "botify_log_events_total") == 50.0;
    }));
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
  for (const auto& line : lines) CHECK(eventlog::ParseEvent(line).ok());
}

TEST_CASE(
    "a second server on the same log folder is refused, also once the lock file is deleted, and "
    "the first keeps its segment",
    "[e2e][log]") {
  TempDir dir, other;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json"});
  HttpClient client(server.port());
  REQUIRE(client.Post("/next/1", R"({"track": 7, "time": 0.5})").status == 200);
  auto second = [&] {
    std::string output;
    const int code = RunCommand({BOTIFY_SERVER_BINARY, "--db", other / "db", "--tracks",
                                 dir / "tracks.json", "--log-dir", server.log_dir(), "--port", "0",
                                 "--admin-port", "0", "--admin-token-file", other / "token"},
                                &output, 30000);
    CHECK(code != 0);
    return output;
  };
  const std::string refused = second();
  CHECK_THAT(refused, Catch::Contains("in use by another botify-server (pid " +
                                      std::to_string(server.pid()) + ","));
  // The lock is on the folder itself: deleting the file that names the pid changes nothing.
  REQUIRE(fs::remove(server.log_dir() + "/.botify-writer.lock"));
  CHECK_THAT(second(), Catch::Contains("in use by another botify-server"));
  // The live server's segment was not sealed under it: what it answers is still logged.
  for (int i = 0; i < 20; ++i) {
    REQUIRE(client.Post("/next/1", R"({"track": 8, "time": 0.5})").status == 200);
  }
  REQUIRE(server.Stop() == 0);
  CHECK(SealedLines(server.log_dir()).size() == 21);
}

TEST_CASE(
    "a full log disk: the server sheds with 503 and is not ready, logs every answered "
    "request once there is room, and never exits 0 having lost one",
    "[e2e][log][disk]") {
  TempDir dir;
  SmallDisk disk(dir / "logs", 1u << 20);
  if (!disk.ok()) {
    WARN("skipped: cannot mount a tmpfs here (needs root)");
    return;
  }
  WriteFile(dir / "logs/filler", std::string(900 * 1024, 'x'));  // leaves ~100 KiB
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", "", {"--log-queue-bytes", "65536"}});
  HttpClient client(server.port());
  // Answers until the disk fills and the queue bound is reached.
  auto load = [&](int max_requests) {
    int answered = 0, shed = 0;
    for (int i = 0; i < max_requests && shed < 50; ++i) {
      const auto reply =
          client.Post("/next/" + std::to_string(i % 100), R"({"track": 7, "time": 0.5})");
      if (reply.status == 200) ++answered;
      if (reply.status == 503) {
        ++shed;
        CHECK_THAT(reply.body, Catch::Contains("event log is not keeping up"));
      }
    }
    return answered;
  };
  int answered = load(20000);
  REQUIRE(client.Get("/readyz").status == 503);
  CHECK(client.Get("/healthz").status == 200);
  // Room again: the writer catches up, the server is ready and answers.
  fs::remove(dir / "logs/filler");
  for (int i = 0; i < 100 && client.Get("/readyz").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(client.Get("/readyz").status == 200);
  // Fill it again and stop while full: the answered events not on disk are reported.
  RunCommand({"/bin/dd", "if=/dev/zero", "of=" + dir / "logs/filler", "bs=4096"});  // all that fits
  answered += load(20000);
  const int code = server.Stop();
  const std::string err = server.Stderr();
  INFO(err);
  CHECK(code == 1);
  const auto at = err.find("ERROR: ");
  REQUIRE(at != std::string::npos);
  const std::size_t lost = std::stoul(err.substr(at + 7));
  std::size_t on_disk = 0;
  for (const char* sub : {"sealed", "active"}) {
    for (const auto& e : fs::directory_iterator(dir.path() / "logs" / sub)) {
      // Whole lines only: a write cut short by the full disk leaves a torn last line,
      // whose rest is among the lost (a restart cuts it off).
      const std::string text = ReadFile(e.path().string());
      on_disk += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }
  }
  CHECK(lost > 0);
  CHECK(on_disk + lost == static_cast<std::size_t>(answered));
}
