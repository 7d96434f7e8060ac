// botify-server under a service manager (systemd Type=notify, WatchdogSec=): the
// notifications it sends to NOTIFY_SOCKET, received on a socket the test owns.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/notify_socket.h"
#include "tests/server_support.h"

using namespace botify::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// botify-server with NOTIFY_SOCKET (and WATCHDOG_USEC when not empty) in its environment.
std::vector<std::string> ServerUnderManager(const TempDir& dir, const NotifySocket& manager,
                                            const std::string& watchdog_usec,
                                            const std::string& db) {
  std::vector<std::string> argv = {"/usr/bin/env", "NOTIFY_SOCKET=" + manager.path()};
  if (!watchdog_usec.empty()) argv.push_back("WATCHDOG_USEC=" + watchdog_usec);
  for (const std::string& a :
       {std::string(BOTIFY_SERVER_BINARY), std::string("--db"), db, std::string("--tracks"),
        dir / "tracks.json", std::string("--log-dir"), dir / "logs", std::string("--port"),
        std::string("0"), std::string("--port-file"), dir / "port", std::string("--no-admin"),
        std::string("--threads"), std::string("2")}) {
    argv.push_back(a);
  }
  return argv;
}

unsigned short PortIn(const std::string& path) {
  std::ifstream in(path);
  unsigned short port = 0;
  in >> port;
  return port;
}

}  // namespace

TEST_CASE(
    "botify-server says READY=1 only once /readyz answers 200, WATCHDOG=1 every half "
    "WATCHDOG_USEC while it serves, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM",
    "[server][notify]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  NotifySocket manager(dir / "notify");
  // 400 ms: a keepalive every 200 ms.
  ChildProcess server(ServerUnderManager(dir, manager, "400000", dir / "db"), dir / "out",
                      dir / "err");
  std::string before_ready;
  auto ready = manager.ReceiveWith("READY=1", 60s, &before_ready);
  REQUIRE(ready);
  CHECK_THAT(*ready, Catch::Contains("STATUS=serving 100 tracks"));
  CHECK(before_ready.find("READY=1") == std::string::npos);
  // READY=1 is sent after the listener accepts and the port file is written: a client
  // that starts when the service manager says "started" finds it serving.
  const unsigned short port = PortIn(dir / "port");
  REQUIRE(port != 0);
  HttpClient client(port);
  CHECK(client.Get("/readyz").status == 200);
  CHECK(client.Get("/track/7").status == 200);

  // The keepalives: time the gaps between five of them, with requests going on.
  std::vector<std::chrono::steady_clock::time_point> at;
  while (at.size() < 5) {
    auto keepalive = manager.ReceiveWith("WATCHDOG=1", 30s);
    REQUIRE(keepalive);
    at.push_back(std::chrono::steady_clock::now());
    CHECK(client.Get("/healthz").status == 200);
  }
  std::vector<double> gaps_ms;
  for (std::size_t i = 1; i < at.size(); ++i) {
    gaps_ms.push_back(std::chrono::duration<double, std::milli>(at[i] - at[i - 1]).count());
  }
  std::sort(gaps_ms.begin(), gaps_ms.end());
  const double median_ms = (gaps_ms[1] + gaps_ms[2]) / 2;
  INFO("gaps between keepalives, ms: " << gaps_ms[0] << " .. " << gaps_ms.back());
  // Every half of WATCHDOG_USEC (200 ms): neither a flood nor a miss of the 400 ms deadline
  // (bounds wide enough for a loaded machine, narrow enough to tell the period).
  CHECK(median_ms > 100);
  CHECK(median_ms < 400);

  server.Signal(SIGHUP);
  std::string before_reload;
  auto reloading = manager.ReceiveWith("RELOADING=1", 30s, &before_reload);
  REQUIRE(reloading);
  CHECK(HasLine(*reloading, "RELOADING=1"));
  auto reloaded = manager.ReceiveWith("READY=1", 30s);
  REQUIRE(reloaded);
  CHECK_THAT(*reloaded, Catch::Contains("STATUS=serving 100 tracks"));

  server.Signal(SIGTERM);
  auto stopping = manager.ReceiveWith("STOPPING=1", 30s);
  REQUIRE(stopping);
  CHECK_THAT(*stopping, Catch::Contains("STATUS=draining"));
  CHECK(server.Wait(60000) == 0);
  // Nothing after STOPPING=1 claims the server serves again.
  std::string after;
  CHECK_FALSE(manager.ReceiveWith("READY=1", 0ms, &after));
}

TEST_CASE("botify-server never says READY=1 when its database cannot be opened",
          "[server][notify]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  WriteFile(dir / "not-a-db", "a regular file where the database folder should be\n");
  NotifySocket manager(dir / "notify");
  ChildProcess server(ServerUnderManager(dir, manager, "400000", dir / "not-a-db"), dir / "out",
                      dir / "err");
  CHECK(server.Wait(60000) == 1);
  CHECK_THAT(ReadFile(dir / "err"), Catch::Contains("not-a-db"));
  std::string sent;
  CHECK_FALSE(manager.ReceiveWith("READY=1", 0ms, &sent));
  CHECK(sent.find("WATCHDOG=1") == std::string::npos);
  CHECK_FALSE(fs::exists(dir / "port"));
}
