#include "tools/shipping/http_exchange.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <exception>

namespace botify::tools {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr std::uint64_t kResponseBodyLimit = 4 << 20;

using Request = http::request<http::span_body<const char>>;

// Runs the exchange; sets *error (with the step that failed) or fills *out.
net::awaitable<void> Exchange(HttpEndpoint endpoint, Request& request,
                              std::chrono::milliseconds deadline, HttpResponse* out,
                              std::string* error) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  stream.expires_after(deadline);
  auto [rec, results] =
      co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kNoThrow);
  if (rec) co_return void(*error = "resolve: " + rec.message());
  auto [cec, ep] = co_await stream.async_connect(results, kNoThrow);
  if (cec) co_return void(*error = "connect: " + cec.message());
  auto [wec, wn] = co_await http::async_write(stream, request, kNoThrow);
  if (wec) co_return void(*error = "send: " + wec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  auto [rdec, rn] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  if (rdec) co_return void(*error = "receive: " + rdec.message());
  const auto& res = parser.get();
  out->status = res.result_int();
  out->reason = std::string(res.reason());
  if (auto it = res.find(http::field::location); it != res.end()) {
    out->location = std::string(it->value());
  }
  out->body = res.body();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

Result<HttpResponse> HttpExchange(const HttpEndpoint& endpoint, std::string_view method,
                                  const std::string& target, std::string_view body,
                                  std::chrono::milliseconds deadline,
                                  const HttpHeaders& extra_headers) {
  Request request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, endpoint.host + ":" + std::to_string(endpoint.port));
  request.set(http::field::user_agent, "botify");
  request.set(http::field::connection, "close");
  if (!body.empty()) request.set(http::field::content_type, "application/octet-stream");
  for (const auto& [name, value] : extra_headers) request.set(name, value);
  request.body() = {body.data(), body.size()};
  request.prepare_payload();

  net::io_context ioc;
  HttpResponse response;
  std::string error;
  std::exception_ptr thrown;
  net::co_spawn(ioc, Exchange(endpoint, request, deadline, &response, &error),
                [&thrown](std::exception_ptr e) { thrown = e; });
  ioc.run();
  const std::string where = std::string(method) + " http://" + endpoint.host + ":" +
                            std::to_string(endpoint.port) + target;
  if (thrown) {
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      return Status::Unavailable(where + ": " + e.what());
    }
  }
  if (!error.empty()) return Status::Unavailable(where + ": " + error);
  return response;
}

}  // namespace botify::tools
