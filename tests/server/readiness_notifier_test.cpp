// ReadinessNotifier: the sd_notify datagram protocol against a socket the test owns.
#include "server/readiness_notifier.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/notify_socket.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::server;
using namespace botify::testing;
using namespace std::chrono_literals;

TEST_CASE("ReadinessNotifier without NOTIFY_SOCKET sends nothing and reports success",
          "[server][notify]") {
  auto notifier = ReadinessNotifier::Create({}, ::getpid());
  REQUIRE(notifier.ok());
  CHECK_FALSE(notifier->enabled());
  CHECK(notifier->watchdog_timeout().count() == 0);
  CHECK(notifier->Ready("serving").ok());
  CHECK(notifier->Watchdog().ok());
}

TEST_CASE("ReadinessNotifier sends each state as one datagram of KEY=VALUE lines",
          "[server][notify]") {
  TempDir dir;
  NotifySocket manager(dir / "notify");
  auto notifier = ReadinessNotifier::Create({manager.path(), "", ""}, ::getpid());
  REQUIRE(notifier.ok());
  CHECK(notifier->enabled());
  CHECK(notifier->watchdog_timeout().count() == 0);  // no WATCHDOG_USEC

  // A newline in a status would start another assignment: it becomes a space.
  REQUIRE(notifier->Ready("serving 10 tracks\non :5001").ok());
  CHECK(manager.Receive(5s) == "READY=1\nSTATUS=serving 10 tracks on :5001");
  REQUIRE(notifier->Watchdog().ok());
  CHECK(manager.Receive(5s) == "WATCHDOG=1");
  REQUIRE(notifier->Reloading().ok());
  auto reloading = manager.Receive(5s);
  REQUIRE(reloading);
  CHECK(HasLine(*reloading, "RELOADING=1"));
  CHECK_THAT(*reloading, Catch::Contains("\nMONOTONIC_USEC="));
  REQUIRE(notifier->Stopping("draining").ok());
  CHECK(manager.Receive(5s) == "STOPPING=1\nSTATUS=draining");
}

TEST_CASE("ReadinessNotifier reports a send to a socket nobody listens on", "[server][notify]") {
  TempDir dir;
  auto notifier = ReadinessNotifier::Create({dir / "nobody", "", ""}, ::getpid());
  REQUIRE(notifier.ok());
  const Status s = notifier->Ready("serving");
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK_THAT(s.message(), Catch::Contains("READY=1"));
}

TEST_CASE("ReadinessNotifier enables the watchdog only for the process WATCHDOG_PID names",
          "[server][notify]") {
  TempDir dir;
  NotifySocket manager(dir / "notify");
  const pid_t self = ::getpid();
  auto mine = ReadinessNotifier::Create({manager.path(), "3000000", ""}, self);
  REQUIRE(mine.ok());
  CHECK(mine->watchdog_timeout() == 3s);
  auto named = ReadinessNotifier::Create({manager.path(), "250000", std::to_string(self)}, self);
  REQUIRE(named.ok());
  CHECK(named->watchdog_timeout() == 250ms);
  // The variables were meant for another process (a parent that exec'd us, say).
  auto other =
      ReadinessNotifier::Create({manager.path(), "250000", std::to_string(self + 1)}, self);
  REQUIRE(other.ok());
  CHECK(other->watchdog_timeout().count() == 0);
  CHECK(other->enabled());
}

TEST_CASE("ReadinessNotifier refuses a malformed environment, naming the variable",
          "[server][notify]") {
  const pid_t self = ::getpid();
  auto relative = ReadinessNotifier::Create({"run/notify", "", ""}, self);
  REQUIRE_FALSE(relative.ok());
  CHECK_THAT(relative.status().message(), Catch::Contains("NOTIFY_SOCKET='run/notify'"));
  auto too_long = ReadinessNotifier::Create({"/" + std::string(200, 'x'), "", ""}, self);
  REQUIRE_FALSE(too_long.ok());
  CHECK_THAT(too_long.status().message(), Catch::Contains("does not fit"));
  for (const std::string usec : {"0", "-5", "12ms", "1e6"}) {
    auto bad = ReadinessNotifier::Create({"/run/notify", usec, ""}, self);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.status().message(), Catch::Contains("WATCHDOG_USEC='" + usec + "'"));
  }
  auto bad_pid = ReadinessNotifier::Create({"/run/notify", "1000", "me"}, self);
  REQUIRE_FALSE(bad_pid.ok());
  CHECK_THAT(bad_pid.status().message(), Catch::Contains("WATCHDOG_PID='me'"));
}
