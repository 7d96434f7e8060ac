// The service manager's notification protocol (sd_notify(3), "$NOTIFY_SOCKET"): each
// state change is one datagram of newline-separated KEY=VALUE lines ("READY=1",
// "STOPPING=1", "WATCHDOG=1", "STATUS=...") sent to the AF_UNIX socket named by the
// NOTIFY_SOCKET variable (a path, or "@name" for the abstract namespace). systemd's
// Type=notify units read them: READY=1 ends "activating", STOPPING=1 starts "deactivating",
// WATCHDOG=1 is the keepalive that WatchdogSec= expects (WATCHDOG_USEC). Without
// NOTIFY_SOCKET every call is a no-op, so the server behaves the same outside systemd.
// The protocol is implemented here (a socket and sendto) rather than through libsystemd, so
// the package does not depend on it; it is the documented, stable wire format.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::server {

// What the service manager passed in the environment ("" = the variable is unset).
struct NotifyEnvironment {
  std::string notify_socket;  // NOTIFY_SOCKET
  std::string watchdog_usec;  // WATCHDOG_USEC: keepalives are due within this many µs
  std::string watchdog_pid;   // WATCHDOG_PID: the process the watchdog is meant for

  // The variables of this process.
  static NotifyEnvironment FromProcess();
};

// Thread-compatible (one thread sends at a time; the server sends from its main thread).
// Owns one datagram socket; move-only.
class ReadinessNotifier {
 public:
  // A notifier that sends nothing (no service manager).
  ReadinessNotifier() = default;
  // Parses `env` for the process `self`: InvalidArgument naming the variable when
  // NOTIFY_SOCKET is not an absolute path or "@name", or is too long for a socket
  // address, or WATCHDOG_USEC is not a positive number. The watchdog is enabled when
  // WATCHDOG_USEC is set and WATCHDOG_PID is unset or names `self` (as
  // sd_watchdog_enabled(3) decides).
  static Result<ReadinessNotifier> Create(const NotifyEnvironment& env, pid_t self);

  ReadinessNotifier(ReadinessNotifier&& other) noexcept;
  ReadinessNotifier& operator=(ReadinessNotifier&& other) noexcept;
  ReadinessNotifier(const ReadinessNotifier&) = delete;
  ReadinessNotifier& operator=(const ReadinessNotifier&) = delete;
  ~ReadinessNotifier();

  // True when a service manager listens (NOTIFY_SOCKET was set).
  bool enabled() const { return fd_ >= 0; }
  // The watchdog timeout; zero when no keepalives are expected. A keepalive every half of
  // it is what sd_watchdog_enabled(3) recommends.
  std::chrono::microseconds watchdog_timeout() const { return watchdog_timeout_; }

  // "READY=1" with a STATUS line: serving (after start-up, and after a reload).
  Status Ready(std::string_view status);
  // "RELOADING=1" with the monotonic clock: a SIGHUP reload begins; Ready() ends it.
  Status Reloading();
  // "STOPPING=1" with a STATUS line: draining before exit.
  Status Stopping(std::string_view status);
  // "WATCHDOG=1": the serving loop is alive.
  Status Watchdog();
  // A free-form state, e.g. "STATUS=opening the database" (sent as it is).
  Status Notify(std::string_view state);

 private:
  int fd_ = -1;
  sockaddr_un address_{};
  socklen_t address_length_ = 0;
  std::chrono::microseconds watchdog_timeout_{0};
};

}  // namespace botify::server
