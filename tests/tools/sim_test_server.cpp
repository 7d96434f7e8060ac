#include "tests/tools/sim_test_server.h"

#include <fmt/core.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace botify::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct SimTestServer::Impl {
  SimTestServerOptions options;
  asio::io_context io{1};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::atomic<int> served{0};
  std::thread thread;
};

namespace {

http::response<http::string_body> Answer(const http::request<http::string_body>& req,
                                         const SimTestServerOptions& o, int served) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  unsigned user = 0;
  char kind[8] = {};
  const std::string target(req.target());
  if (served < o.fail_first) {
    res.result(http::status::service_unavailable);
    res.body() = R"({"error": "warming up"})";
  } else if (std::sscanf(target.c_str(), "/%7[a-z]/%u", kind, &user) == 2) {
    const auto body = boost::json::parse(req.body()).as_object();
    const auto track = static_cast<std::uint32_t>(body.at("track").as_int64());
    const std::uint32_t r = o.bad_track ? o.tracks : SimTestAnswer(user, track, o.tracks);
    res.body() = std::string(kind) == "next"
                     ? fmt::format(R"({{"user": {}, "track": {}}})", user, r)
                     : fmt::format(R"({{"user": {}}})", user);
  }
  res.prepare_payload();
  return res;
}

asio::awaitable<void> Serve(tcp::socket socket, SimTestServer::Impl* impl,
                            std::atomic<std::uint64_t>* next, std::atomic<std::uint64_t>* last) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  for (;;) {
    http::request<http::string_body> req;
    co_await http::async_read(socket, buffer, req, token);
    if (ec) co_return;
    (req.target().starts_with("/next") ? *next : *last) += 1;
    auto res = Answer(req, impl->options, impl->served++);
    co_await http::async_write(socket, res, token);
    if (ec || !req.keep_alive()) co_return;
  }
}

asio::awaitable<void> Accept(SimTestServer::Impl* impl, std::atomic<std::uint64_t>* next,
                             std::atomic<std::uint64_t>* last) {
  for (;;) {
    tcp::socket socket = co_await impl->acceptor.async_accept(asio::use_awaitable);
    asio::co_spawn(impl->io, Serve(std::move(socket), impl, next, last), asio::detached);
  }
}

}  // namespace

SimTestServer::SimTestServer(SimTestServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, Accept(impl_.get(), &next_requests_, &last_requests_), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

SimTestServer::~SimTestServer() {
  impl_->io.stop();
  impl_->thread.join();
}

}  // namespace botify::testing
