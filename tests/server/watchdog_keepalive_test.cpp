// WatchdogKeepalive: a keepalive per tick where the serving loop is alive, none otherwise.
#include "server/watchdog_keepalive.h"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "tests/notify_socket.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::server;
using namespace botify::testing;
using namespace std::chrono_literals;

namespace {

// The keepalives waiting on `manager`, without waiting for more.
int Pending(NotifySocket& manager) {
  int n = 0;
  while (auto datagram = manager.Receive(0ms)) {
    CHECK(*datagram == "WATCHDOG=1");
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("WatchdogKeepalive sends WATCHDOG=1 on the ticks where the serving loop is alive only",
          "[server][notify]") {
  TempDir dir;
  NotifySocket manager(dir / "notify");
  // 20 ms timeout: a tick every 10 ms.
  auto notifier = ReadinessNotifier::Create({manager.path(), "20000", ""}, ::getpid());
  REQUIRE(notifier.ok());
  boost::asio::io_context ioc;
  // Ticks 1-3 find a stuck worker, 4-6 a live one; tick 7 stops the keepalive.
  int ticks = 0;
  WatchdogKeepalive keepalive(ioc, *notifier, [&] {
    ++ticks;
    if (ticks == 7) keepalive.Stop();
    return ticks >= 4 && ticks <= 6;
  });
  keepalive.Start();
  ioc.run_for(30s);  // returns once Stop() left the io_context without work
  CHECK(ticks == 7);
  CHECK(Pending(manager) == 3);
}

TEST_CASE("WatchdogKeepalive without a watchdog timeout never ticks", "[server][notify]") {
  TempDir dir;
  NotifySocket manager(dir / "notify");
  auto notifier = ReadinessNotifier::Create({manager.path(), "", ""}, ::getpid());
  REQUIRE(notifier.ok());
  boost::asio::io_context ioc;
  int ticks = 0;
  WatchdogKeepalive keepalive(ioc, *notifier, [&] { return ++ticks > 0; });
  keepalive.Start();
  CHECK(ioc.run_for(5s) == 0);  // nothing scheduled
  CHECK(ticks == 0);
  CHECK(Pending(manager) == 0);
}
