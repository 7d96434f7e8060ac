#include "server/server.h"

#include <fmt/format.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

namespace botify::server {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// The public API on one worker: the shared ApiHandler plus this thread's context.
class ApiSessionHandler final : public SessionHandler {
 public:
  ApiSessionHandler(const ApiHandler& api, WorkerContext ctx) : api_(api), ctx_(std::move(ctx)) {}
  void Handle(const Request& request, const tcp::endpoint&, Response* response) override {
    api_.Handle(request, ctx_, response);
  }
  void Rejected(const Request& partial, const Response& response) override {
    api_.RecordRejected(partial, ctx_, response);
  }

 private:
  const ApiHandler& api_;
  WorkerContext ctx_;
};

class AdminSessionHandler final : public SessionHandler {
 public:
  explicit AdminSessionHandler(AdminHandler& admin) : admin_(admin) {}
  void Handle(const Request& request, const tcp::endpoint& peer, Response* response) override {
    admin_.Handle(request, peer.address(), response);
  }
  bool checks_header() const override { return true; }
  bool Admit(const Request& header, const tcp::endpoint& peer, Response* refusal) override {
    return admin_.Authorized(header, peer.address(), refusal);
  }

 private:
  AdminHandler& admin_;
};

}  // namespace

// One thread with its own io_context, its sessions and a sweep timer for timeouts.
struct Server::Worker {
  Worker(std::unique_ptr<SessionHandler> h, const SessionLimits& l)
      : handler(std::move(h)), limits(l) {}

  void Run(const std::atomic<bool>& draining) {
    thread = std::thread([this, &draining] {
      ScheduleSweep(draining);
      ioc.run();
    });
  }
  void ScheduleSweep(const std::atomic<bool>& draining) {
    sweep.expires_after(std::chrono::milliseconds(draining ? 20 : 500));
    sweep.async_wait([this, &draining](boost::system::error_code ec) {
      // A sweep already queued when Stop() cancelled the timer still runs: `stopping`
      // keeps it from re-arming, or the io_context would never run out of work.
      if (ec || stopping) return;
      registry.Sweep(Clock::now(), draining.load());
      ScheduleSweep(draining);
    });
  }

  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{ioc.get_executor()};
  asio::steady_timer sweep{ioc};
  bool stopping = false;                      // set on this worker's thread by Stop()
  std::atomic<std::uint64_t> probes_seen{0};  // the last ProbeWorkers() probe this thread ran
  SessionRegistry registry;
  std::unique_ptr<SessionHandler> handler;
  const SessionLimits& limits;
  std::thread thread;
};

// Accepts on the first worker's io_context and hands each socket to the next worker.
class Server::Listener {
 public:
  Listener(asio::io_context& ioc, std::vector<Worker*> workers, const std::atomic<bool>& draining,
           Metrics& metrics)
      : acceptor_(ioc),
        backoff_(ioc),
        workers_(std::move(workers)),
        draining_(draining),
        metrics_(metrics) {}

  Status Open(const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Unavailable(fmt::format("cannot listen on {}:{}: {}",
                                             endpoint.address().to_string(), endpoint.port(),
                                             ec.message()));
    }
    return Status::Ok();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void Accept() {
    Worker* w = workers_[next_++ % workers_.size()];
    acceptor_.async_accept(w->ioc, [this, w](boost::system::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (IsResourceShortage(ec)) return BackOff(ec);
      if (!ec) {
        asio::post(w->ioc, [w, s = std::move(socket), this]() mutable {
          std::make_shared<HttpSession>(std::move(s), *w->handler, w->registry, w->limits,
                                        draining_)
              ->Start();
        });
      }
      Accept();
    });
  }
  void Close() {
    asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      backoff_.cancel();
    });
  }

 private:
  static bool IsResourceShortage(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors ||
           ec == boost::system::errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
  }

  // Out of descriptors, accept() fails at once and would be retried in a busy loop while
  // the connections already open starve: wait, count it, and say so at most every 10 s.
  void BackOff(const boost::system::error_code& ec) {
    metrics_.CountAcceptFailure();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_said_ >= kSayEvery) {
      fmt::print(stderr,
                 "botify-server: cannot accept connections: {}; retrying every {} ms ({} "
                 "failures so far, botify_accept_failures_total)\n",
                 ec.message(), kBackOff.count(), metrics_.accept_failures());
      last_said_ = now;
    }
    backoff_.expires_after(kBackOff);
    backoff_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && acceptor_.is_open()) Accept();
    });
  }

  static constexpr std::chrono::milliseconds kBackOff{100};
  static constexpr std::chrono::seconds kSayEvery{10};

  tcp::acceptor acceptor_;
  asio::steady_timer backoff_;
  std::vector<Worker*> workers_;
  const std::atomic<bool>& draining_;
  Metrics& metrics_;
  std::size_t next_ = 0;
  std::chrono::steady_clock::time_point last_said_{};  // of the last stderr line
};

Status ServerOptions::Validate() const {
  boost::system::error_code ec;
  asio::ip::make_address(address, ec);
  if (ec) return Status::InvalidArgument("bad listen address '" + address + "'");
  asio::ip::make_address(admin_address, ec);
  if (ec) return Status::InvalidArgument("bad admin address '" + admin_address + "'");
  if (threads < 0 || threads > 256) return Status::InvalidArgument("threads must be in [0, 256]");
  if (limits.body_limit < 64) return Status::InvalidArgument("body limit must be >= 64 bytes");
  if (admin_body_limit < 64) return Status::InvalidArgument("admin body limit must be >= 64 bytes");
  if (limits.write_timeout.count() < 1)
    return Status::InvalidArgument("write timeout must be >= 1 ms");
  if (limits.send_buffer_bytes < 0)
    return Status::InvalidArgument("send buffer must be >= 0 bytes");
  return Status::Ok();
}

int ServerOptions::EffectiveThreads() const {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

Server::Server(ServerOptions options, Service& service, const ApiHandler& api, AdminHandler* admin)
    : options_(std::move(options)), service_(service), api_(api), admin_(admin) {
  admin_limits_ = options_.limits;
  admin_limits_.body_limit = options_.admin_body_limit;
  // Waiting for a request's header: as on the API (an unauthenticated client gets no
  // more). An admitted upload of gigabytes, or the answer to a long ingest, gets 5 min.
  admin_limits_.admitted_body_timeout = std::chrono::milliseconds(300000);
  admin_limits_.write_timeout = std::chrono::milliseconds(300000);
}

Server::~Server() { Stop(); }

Status Server::Bind(const std::string& address, unsigned short port, std::vector<Worker*> workers,
                    std::unique_ptr<Listener>* listener, unsigned short* bound_port) {
  *listener =
      std::make_unique<Listener>(workers.front()->ioc, workers, draining_, service_.metrics());
  BOTIFY_RETURN_IF_ERROR((*listener)->Open(tcp::endpoint(asio::ip::make_address(address), port)));
  *bound_port = (*listener)->port();
  (*listener)->Accept();
  return Status::Ok();
}

Status Server::Start() {
  BOTIFY_RETURN_IF_ERROR(options_.Validate());
  const int n = options_.EffectiveThreads();
  std::vector<Worker*> api_workers;
  for (int i = 0; i < n; ++i) {
    WorkerContext ctx(i, 0x5eed0000u + static_cast<std::uint64_t>(i), &service_.metrics().shard(i));
    workers_.push_back(std::make_unique<Worker>(
        std::make_unique<ApiSessionHandler>(api_, std::move(ctx)), options_.limits));
    api_workers.push_back(workers_.back().get());
  }
  BOTIFY_RETURN_IF_ERROR(Bind(options_.address, options_.port, api_workers, &listener_, &port_));
  if (admin_ != nullptr && options_.admin_enabled) {
    admin_worker_ =
        std::make_unique<Worker>(std::make_unique<AdminSessionHandler>(*admin_), admin_limits_);
    BOTIFY_RETURN_IF_ERROR(Bind(options_.admin_address, options_.admin_port, {admin_worker_.get()},
                                &admin_listener_, &admin_port_));
    admin_worker_->Run(draining_);
  }
  for (auto& w : workers_) w->Run(draining_);
  return Status::Ok();
}

bool Server::ProbeWorkers() {
  bool all_ran = true;
  for (const auto& w : workers_) all_ran = all_ran && w->probes_seen.load() == probes_sent_;
  const std::uint64_t probe = ++probes_sent_;
  for (const auto& w : workers_) {
    asio::post(w->ioc, [w = w.get(), probe] { w->probes_seen.store(probe); });
  }
  return all_ran;
}

void Server::Stop() {
  if (stopped_.exchange(true)) return;
  draining_.store(true);
  service_.StartDraining();
  if (listener_) listener_->Close();
  if (admin_listener_) admin_listener_->Close();
  std::vector<Worker*> all;
  for (auto& w : workers_) all.push_back(w.get());
  if (admin_worker_) all.push_back(admin_worker_.get());
  const auto deadline = Clock::now() + options_.drain_timeout;
  auto live = [&] {
    std::size_t total = 0;
    for (Worker* w : all) total += w->registry.count();
    return total;
  };
  while (live() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (Worker* w : all) {
    asio::post(w->ioc, [w] {
      w->stopping = true;
      w->registry.CloseAll();
      w->sweep.cancel();
      w->guard.reset();
    });
  }
  for (Worker* w : all) {
    if (w->thread.joinable()) w->thread.join();
  }
}

}  // namespace botify::server
