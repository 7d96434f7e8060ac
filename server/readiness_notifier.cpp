#include "server/readiness_notifier.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace botify::server {

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// A STATUS value is one line of the datagram: a newline would start another assignment.
std::string OneLine(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

Result<std::uint64_t> ParsePositive(const std::string& name, const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    return Status::InvalidArgument(
        fmt::format("{}='{}' is not a positive whole number", name, text));
  }
  return value;
}

}  // namespace

NotifyEnvironment NotifyEnvironment::FromProcess() {
  return {Env("NOTIFY_SOCKET"), Env("WATCHDOG_USEC"), Env("WATCHDOG_PID")};
}

Result<ReadinessNotifier> ReadinessNotifier::Create(const NotifyEnvironment& env, pid_t self) {
  ReadinessNotifier notifier;
  if (env.notify_socket.empty()) return notifier;
  const std::string& path = env.notify_socket;
  if (path.front() != '/' && path.front() != '@') {
    return Status::InvalidArgument(
        fmt::format("NOTIFY_SOCKET='{}' is neither an absolute path nor '@name'", path));
  }
  if (path.size() < 2 || path.size() >= sizeof(notifier.address_.sun_path)) {
    return Status::InvalidArgument(
        fmt::format("NOTIFY_SOCKET='{}' does not fit a socket address ({} bytes at most)", path,
                    sizeof(notifier.address_.sun_path) - 1));
  }
  notifier.address_.sun_family = AF_UNIX;
  std::memcpy(notifier.address_.sun_path, path.data(), path.size());
  if (path.front() == '@') notifier.address_.sun_path[0] = '\0';  // the abstract namespace
  // An abstract name is exactly its bytes; a path is NUL-terminated.
  notifier.address_length_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                                    (path.front() == '/' ? 1 : 0));
  if (!env.watchdog_usec.empty()) {
    auto usec = ParsePositive("WATCHDOG_USEC", env.watchdog_usec);
    if (!usec.ok()) return usec.status();
    bool for_us = true;
    if (!env.watchdog_pid.empty()) {
      auto pid = ParsePositive("WATCHDOG_PID", env.watchdog_pid);
      if (!pid.ok()) return pid.status();
      for_us = *pid == static_cast<std::uint64_t>(self);
    }
    if (for_us) notifier.watchdog_timeout_ = std::chrono::microseconds(*usec);
  }
  notifier.fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (notifier.fd_ < 0) {
    return Status::IoError(
        fmt::format("cannot create a socket for NOTIFY_SOCKET: {}", std::strerror(errno)));
  }
  return notifier;
}

ReadinessNotifier::ReadinessNotifier(ReadinessNotifier&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      address_(other.address_),
      address_length_(other.address_length_),
      watchdog_timeout_(other.watchdog_timeout_) {}

ReadinessNotifier& ReadinessNotifier::operator=(ReadinessNotifier&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    address_ = other.address_;
    address_length_ = other.address_length_;
    watchdog_timeout_ = other.watchdog_timeout_;
  }
  return *this;
}

ReadinessNotifier::~ReadinessNotifier() {
  if (fd_ >= 0) ::close(fd_);
}

Status ReadinessNotifier::Ready(std::string_view status) {
  return Notify("READY=1\nSTATUS=" + OneLine(status));
}

Status ReadinessNotifier::Reloading() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  return Notify(fmt::format("RELOADING=1\nMONOTONIC_USEC={}", usec));
}

Status ReadinessNotifier::Stopping(std::string_view status) {
  return Notify("STOPPING=1\nSTATUS=" + OneLine(status));
}

Status ReadinessNotifier::Watchdog() { return Notify("WATCHDOG=1"); }

Status ReadinessNotifier::Notify(std::string_view state) {
  if (fd_ < 0) return Status::Ok();
  const ssize_t sent = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address_), address_length_);
  if (sent != static_cast<ssize_t>(state.size())) {
    return Status::Unavailable(fmt::format("cannot notify the service manager ({}): {}",
                                           OneLine(state), std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace botify::server
