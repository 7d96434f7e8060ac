#include "server/watchdog_keepalive.h"

#include <fmt/core.h>

#include <utility>

namespace botify::server {

WatchdogKeepalive::WatchdogKeepalive(boost::asio::io_context& ioc, ReadinessNotifier& notifier,
                                     std::function<bool()> alive)
    : timer_(ioc), notifier_(notifier), alive_(std::move(alive)) {}

void WatchdogKeepalive::Start() {
  if (notifier_.watchdog_timeout().count() == 0) return;
  stopped_ = false;
  Tick();
}

void WatchdogKeepalive::Stop() {
  stopped_ = true;
  timer_.cancel();
}

void WatchdogKeepalive::Tick() {
  const bool alive = alive_();
  if (stopped_) return;  // `alive` may stop the keepalive (tests do)
  if (!alive) {
    if (missed_++ == 0) {
      fmt::print(stderr,
                 "botify-server: watchdog: a worker thread has not run for {} ms; holding the "
                 "keepalive back (the service manager restarts a process that stays stuck)\n",
                 notifier_.watchdog_timeout().count() / 2000);
    }
  } else {
    if (missed_ > 0) {
      fmt::print(stderr, "botify-server: watchdog: every worker runs again\n");
      missed_ = 0;
    }
    if (Status s = notifier_.Watchdog(); !s.ok() && !send_failed_) {
      fmt::print(stderr, "botify-server: watchdog: {}\n", s.ToString());
      send_failed_ = true;
    }
  }
  Schedule();
}

void WatchdogKeepalive::Schedule() {
  timer_.expires_after(notifier_.watchdog_timeout() / 2);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    // A tick queued before Stop() cancelled the timer still runs: `stopped_` ends it.
    if (ec || stopped_) return;
    Tick();
  });
}

}  // namespace botify::server
