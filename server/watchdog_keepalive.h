// The keepalive half of a service manager's watchdog (systemd WatchdogSec=): every half of
// the notifier's watchdog timeout it asks `alive` whether the serving loop still runs and
// only then sends WATCHDOG=1. A hung worker thread therefore stops the keepalives and the
// service manager, after the full timeout, kills and restarts the process; a live one
// never misses a deadline (two keepalives per timeout).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>

#include "server/readiness_notifier.h"

namespace botify::server {

// Thread-compatible: runs on the thread that runs `ioc`; call Start() and Stop() there (or
// before that thread runs). `notifier` must outlive this object.
class WatchdogKeepalive {
 public:
  WatchdogKeepalive(boost::asio::io_context& ioc, ReadinessNotifier& notifier,
                    std::function<bool()> alive);
  WatchdogKeepalive(const WatchdogKeepalive&) = delete;
  WatchdogKeepalive& operator=(const WatchdogKeepalive&) = delete;

  // Sends the first keepalive and schedules the next; a no-op when the notifier has no
  // watchdog timeout.
  void Start();
  // Sends no more keepalives, and leaves `ioc` no work of its own (its run() can return).
  void Stop();

 private:
  void Tick();
  void Schedule();

  boost::asio::steady_timer timer_;
  ReadinessNotifier& notifier_;
  std::function<bool()> alive_;
  bool stopped_ = true;
  std::uint64_t missed_ = 0;  // consecutive ticks `alive` said no (reported once a streak)
  bool send_failed_ = false;  // a failed send was reported (once: the next ones would repeat it)
};

}  // namespace botify::server
