// The service manager's end of the sd_notify protocol, for tests: a datagram socket the
// test owns, bound to a path (NOTIFY_SOCKET=<path()>), that receives what botify-server
// (or a ReadinessNotifier) sends.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace botify::testing {

// Not thread-safe. Unlinks its path on destruction.
class NotifySocket {
 public:
  // Binds a datagram socket at `path` (a fresh file name; under 108 bytes).
  explicit NotifySocket(std::string path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  // The next datagram, or nullopt when none arrives within `timeout`.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout);
  // The next datagram holding the line `line` ("READY=1"); the ones before it are appended
  // to `*skipped` when given. nullopt when none arrives within `timeout`.
  std::optional<std::string> ReceiveWith(const std::string& line, std::chrono::milliseconds timeout,
                                         std::string* skipped = nullptr);

 private:
  std::string path_;
  int fd_ = -1;
};

// True when `datagram` has `line` as one of its newline-separated lines.
bool HasLine(const std::string& datagram, const std::string& line);

}  // namespace botify::testing
