// botify-server's process lifecycle around signals, with the real binary.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/server_support.h"

using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

// True once `pid` runs botify-server (not the forked test binary, whose handlers it
// inherits until exec) and has a handler for `sig` (SigCgt in /proc/<pid>/status).
bool ServerCatchesSignal(pid_t pid, int sig) {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  if (ec || !fs::equivalent(exe, BOTIFY_SERVER_BINARY, ec)) return false;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("SigCgt:", 0) != 0) continue;
    const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
    return (mask >> (sig - 1)) & 1u;
  }
  return false;
}

}  // namespace

TEST_CASE("a SIGTERM that arrives while the server is still starting drains, not kills",
          "[server][signals]") {
  TempDir dir;
  // A large catalog makes the start (importing it into RocksDB) long enough to signal into.
  WriteCatalog(dir / "tracks.json", 300000);
  ChildProcess server(
      {BOTIFY_SERVER_BINARY, "--db", dir / "db", "--tracks", dir / "tracks.json", "--log-dir",
       dir / "logs", "--port", "0", "--port-file", dir / "port", "--no-admin", "--threads", "1"},
      dir / "server.out", dir / "server.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!ServerCatchesSignal(server.pid(), SIGTERM) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  REQUIRE(ServerCatchesSignal(server.pid(), SIGTERM));
  // Still starting: the listener is not up yet. Before the fix the handler was installed
  // only after the port file was written, and a SIGTERM in between killed the process
  // (exit 143) without flushing the log.
  CHECK_FALSE(fs::exists(dir / "port"));
  server.Signal(SIGTERM);
  CHECK(server.Wait(60000) == 0);
  CHECK_THAT(ReadFile(dir / "server.err"), Catch::Contains("draining"));
}
