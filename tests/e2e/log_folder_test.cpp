// An operator's hands on a running server's log folder (docs/server.md, "Event log"),
// against the real binary with real files and signals (a deleted lock file:
// tests/e2e/event_log_test.cpp): an `rm -rf` of the folder under load is noticed, counted
// and answered with a non-zero exit; a folder another process holds stops acknowledgements until it
// is free; a seal that cannot rename is an error with its cause, a layout that cannot seal is
// refused at start with the fix, and a restart over the fixed folder seals everything;
// segment names keep their order when the wall clock steps back.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "engine/eventlog/segment_name.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPlay = R"({"track": 7, "time": 0.5})";

// /next requests from a few threads until Finish(), counting the 200s. Bounded: at most
// 200,000 requests a thread, and a thread stops when the server is gone.
class Load {
 public:
  explicit Load(unsigned short port) {
    for (int c = 0; c < 2; ++c) {
      threads_.emplace_back([this, port, c] {
        HttpClient client(port);
        for (int i = 0; i < 200000 && !stop_.load(); ++i) {
          try {
            const int status =
                client.Post("/next/" + std::to_string(c * 1000 + i % 100), kPlay).status;
            if (status == 200) ++answered_;
          } catch (const std::exception&) {
            return;
          }
        }
      });
    }
  }
  ~Load() { Finish(); }
  int answered() const { return answered_.load(); }
  int Finish() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    return answered_.load();
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::vector<std::thread> threads_;
};

// The number after "ERROR: " in the server's stderr (its count of lost events), or -1.
long LostCount(const std::string& err) {
  const auto at = err.find("ERROR: ", err.find("stopped;"));
  if (at == std::string::npos) return -1;
  return std::stol(err.substr(at + 7));
}

// Lines in every file under `dir` (recursively).
std::size_t LinesUnder(const std::string& dir) {
  std::size_t lines = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename().string().starts_with(".")) continue;
    const std::string text = ReadFile(e.path().string());
    lines += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  return lines;
}

}  // namespace

TEST_CASE(
    "rm -rf of the log folder under load: the server recreates it and logs on, counts the "
    "answered events it lost, and exits 1 naming them",
    "[e2e][log][folder]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json"});
  Load load(server.port());
  REQUIRE(WaitUntil([&] { return load.answered() >= 2000; }));
  std::error_code ec;
  for (int i = 0; i < 5 && fs::exists(server.log_dir()); ++i) fs::remove_all(server.log_dir(), ec);
  const int before = load.answered();
  REQUIRE(WaitUntil([&] { return load.answered() >= before + 2000; }));
  const int answered = load.Finish();
  HttpClient client(server.port());
  CHECK(client.Get("/readyz").status == 200);  // logging again, into the new folder
  CHECK(server.Stop() == 1);
  const std::string err = server.Stderr();
  INFO(err);
  CHECK_THAT(err,
             Catch::Contains("is no longer in") && Catch::Contains("created and locked it again"));
  const long lost = LostCount(err);
  REQUIRE(lost > 0);
  CHECK(SealedLines(server.log_dir()).size() + static_cast<std::size_t>(lost) ==
        static_cast<std::size_t>(answered));
}

TEST_CASE(
    "the log folder swapped for one another process holds: /next and /readyz answer 503 until "
    "the server can take it, then it logs on; the moved-away lines are counted",
    "[e2e][log][folder]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json"});
  HttpClient client(server.port());
  for (int i = 0; i < 30; ++i) REQUIRE(client.Post("/next/1", kPlay).status == 200);
  REQUIRE(WaitUntil(
      [&] { return MetricValue(client.Get("/metrics").body, "botify_log_events_total") == 30.0; }));
  // Another process's folder, locked, swapped in at the log path in one rename.
  const std::string logs = server.log_dir(), theirs = dir / "theirs";
  fs::create_directories(theirs);
  const int held = open(theirs.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(held >= 0);
  REQUIRE(flock(held, LOCK_EX | LOCK_NB) == 0);
  REQUIRE(syscall(SYS_renameat2, AT_FDCWD, theirs.c_str(), AT_FDCWD, logs.c_str(),
                  2 /* RENAME_EXCHANGE */) == 0);
  REQUIRE(WaitUntil([&] { return client.Get("/readyz").status == 503; }));
  auto shed = client.Post("/next/1", kPlay);
  CHECK(shed.status == 503);
  CHECK_THAT(shed.body, Catch::Contains("event log"));
  close(held);  // the other process lets go
  REQUIRE(WaitUntil([&] { return client.Get("/readyz").status == 200; }));
  for (int i = 0; i < 10; ++i) REQUIRE(client.Post("/next/2", kPlay).status == 200);
  CHECK(server.Stop() == 1);
  const std::string err = server.Stderr();
  INFO(err);
  CHECK(LostCount(err) == 30);
  // The 30 are intact where the folder went (dir/theirs now holds the old one).
  CHECK(LinesUnder(theirs + "/active") == 30);
  CHECK(SealedLines(logs).size() == 10);
}

TEST_CASE(
    "a seal that cannot rename is answered as an error with its cause; such a layout is "
    "refused at start with the fix; a restart over the fixed folder seals every line",
    "[e2e][log][seal]") {
  TempDir dir;
  SmallDisk disk(dir / "elsewhere", 1u << 20);
  if (!disk.ok()) {
    WARN("skipped: cannot mount a tmpfs here (needs root)");
    return;
  }
  WriteCatalog(dir / "tracks.json", 100);
  const std::vector<std::string> argv = {
      BOTIFY_SERVER_BINARY, "--db", dir / "db",           "--log-dir",  dir / "logs", "--port", "0",
      "--admin-port",       "0",    "--admin-token-file", dir / "token"};
  {
    TestServer server(dir, {dir / "tracks.json"});
    HttpClient client(server.port());
    for (int i = 0; i < 10; ++i) REQUIRE(client.Post("/next/1", kPlay).status == 200);
    // sealed/ becomes a symlink to another file system: every rename into it is EXDEV.
    fs::remove_all(dir / "logs/sealed");
    fs::create_directory_symlink(dir / "elsewhere", dir / "logs/sealed");
    HttpClient admin(server.admin_port());
    auto sealed = admin.Request("POST", "/admin/log/seal", "",
                                {{"Authorization", "Bearer " + server.token()}});
    CHECK(sealed.status == 500);
    CHECK_THAT(sealed.body,
               Catch::Contains("not sealed") && Catch::Contains("Invalid cross-device link"));
    for (int i = 0; i < 5; ++i) REQUIRE(client.Post("/next/2", kPlay).status == 200);
    CHECK(server.Stop() == 1);
    CHECK_THAT(server.Stderr(), Catch::Contains("could not be sealed"));
  }
  std::string out;
  CHECK(RunCommand(argv, &out) == 1);
  CHECK_THAT(out, Catch::Contains("cannot seal segments") &&
                      Catch::Contains("Invalid cross-device link") &&
                      Catch::Contains("plain folder"));
  CHECK(LinesUnder(dir / "logs/active") == 15);  // nothing lost meanwhile
  fs::remove(dir / "logs/sealed");
  fs::create_directory(dir / "logs/sealed");
  TestServer server(dir, {});
  REQUIRE(server.Stop() == 0);
  CHECK(SealedLines(dir / "logs").size() == 15);
  CHECK(fs::is_empty(dir / "logs/active"));
}

TEST_CASE(
    "segment names sort in the order the segments were written when the wall clock steps "
    "back between restarts",
    "[e2e][log][names]") {
  // libfaketime preloaded by env, which execs the server (the faketime command would fork
  // and wait, and a SIGTERM would stop it, not the server). The monotonic clock stays real.
  const std::string faketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
  if (!fs::exists(faketime)) {
    WARN("skipped: libfaketime is not installed (scripts/install-deps.sh installs faketime)");
    return;
  }
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  // Each start is a day further back than the one before; user b marks batch b.
  for (int b = 0; b < 3; ++b) {
    TestServer::Options options{b == 0 ? dir / "tracks.json" : ""};
    if (b > 0) {
      // Under ASan the preload comes before its runtime, which it then must not refuse.
      const char* asan = std::getenv("ASAN_OPTIONS");
      options.wrapper = {
          "/usr/bin/env", "LD_PRELOAD=" + faketime, "FAKETIME=-" + std::to_string(b) + "d",
          "FAKETIME_DONT_FAKE_MONOTONIC=1",
          std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":verify_asan_link_order=0"};
    }
    TestServer server(dir, options);
    HttpClient client(server.port());
    for (int i = 0; i < 5; ++i) {
      REQUIRE(client.Post("/next/" + std::to_string(b), kPlay).status == 200);
    }
    REQUIRE(server.Stop() == 0);
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "logs/sealed")) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 3);
  for (int b = 0; b < 3; ++b) {
    INFO(names[b]);
    CHECK_THAT(ReadFile(dir / "logs/sealed/" + names[b]),
               Catch::Contains("\"user\": " + std::to_string(b) + ","));
    auto parsed = eventlog::ParseSegmentName(names[b]);
    REQUIRE(parsed.ok());
    CHECK_FALSE(parsed->per_boot_seq);
  }
}
