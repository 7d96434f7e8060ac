// The HTTP front: a listener per address, one single-threaded io_context per worker
// thread (a thread per core), sessions spread across workers round-robin, and a separate
// admin thread so a long index ingest never stalls request threads.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/admin_handler.h"
#include "server/api_handler.h"
#include "server/http_session.h"
#include "server/service.h"

namespace botify::server {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 5001;  // 0 = any free port (see port())
  std::string admin_address = "127.0.0.1";
  unsigned short admin_port = 5002;  // 0 = any free port
  bool admin_enabled = true;
  // Worker threads for the public API; 0 = one per core.
  int threads = 0;
  SessionLimits limits;
  // Admin bodies carry whole index files (~420 B per list: 1 GiB is ~2.5 M users' lists).
  // The body is buffered in memory before it is staged to disk, so this bounds the memory
  // one upload takes; raise it for larger indexes (--admin-body-limit).
  std::size_t admin_body_limit = 1ull << 30;
  // On Stop(), how long in-flight requests get to finish before connections are cut.
  std::chrono::milliseconds drain_timeout{5000};

  Status Validate() const;
  int EffectiveThreads() const;
};

// Thread-safe: Start once, Stop once from any thread.
class Server {
 public:
  // `service`, `api` and `admin` (may be null) must outlive the server.
  Server(ServerOptions options, Service& service, const ApiHandler& api, AdminHandler* admin);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving; returns once both listeners accept connections.
  Status Start();
  // Graceful: stop accepting, answer in-flight requests, close connections, join threads.
  void Stop();

  unsigned short port() const { return port_; }
  unsigned short admin_port() const { return admin_port_; }

  // Liveness of the serving loop, for a service manager's watchdog: true when every API
  // worker has run the probe the previous call posted to it (none has been stuck since;
  // the first call after Start() is true), then posts the next probe. The admin worker is
  // left out: a long index ingest there is not a hang. Call from one thread at a time.
  bool ProbeWorkers();

 private:
  struct Worker;
  class Listener;

  Status Bind(const std::string& address, unsigned short port, std::vector<Worker*> workers,
              std::unique_ptr<Listener>* listener, unsigned short* bound_port);

  ServerOptions options_;
  Service& service_;
  const ApiHandler& api_;
  AdminHandler* admin_;
  SessionLimits admin_limits_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<Worker> admin_worker_;
  std::unique_ptr<Listener> listener_, admin_listener_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopped_{false};
  unsigned short port_ = 0, admin_port_ = 0;
  std::uint64_t probes_sent_ = 0;  // by ProbeWorkers()
};

}  // namespace botify::server
