// RequestBuffers: a warm connection parses a request without one heap allocation.
// This binary replaces the global operator new to count allocations, which is why these
// tests are not in server_tests: the replacement would apply to every test there.
#include "server/request_buffers.h"

#include <atomic>
#include <boost/asio/buffer.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Every replaceable form that the runtime (or ASan's) would otherwise provide, so that no
// allocation bypasses the count and every pair matches: all of them go to malloc/free.
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
// The replacements above allocate with malloc, so free is the matching release; GCC sees
// only the default operator new inside library headers (Boost's wrapexcept::clone) and
// would call these mismatched.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using botify::server::RequestBuffers;
using botify::server::RequestParser;
namespace http = botify::server::http;

// A request as wrk's bench/next_requests.lua sends it.
std::string NextRequest(int user) {
  const std::string body = R"({"track": 12345, "time": 0.75})";
  return "POST /next/" + std::to_string(user) +
         " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// As http::read does: put() stops after the header, so it is called until done.
void Parse(RequestParser& parser, std::string_view wire) {
  boost::beast::error_code ec;
  while (!parser.is_done() && !wire.empty()) {
    const std::size_t used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
    REQUIRE_FALSE(ec);
    wire.remove_prefix(used);
  }
  REQUIRE(parser.is_done());
  REQUIRE(wire.empty());
}

}  // namespace

TEST_CASE("a warm connection parses a request without allocating", "[server][allocations]") {
  RequestBuffers buffers;
  std::optional<RequestParser> parser;
  const std::string first = NextRequest(1), second = NextRequest(2), third = NextRequest(3);
  buffers.Renew(&parser);
  Parse(*parser, first);  // warms the body buffer
  buffers.Renew(&parser);
  const long before = g_allocations.load();
  Parse(*parser, second);
  CHECK(g_allocations.load() == before);
  CHECK(parser->get().target() == "/next/2");
  CHECK(parser->get()[http::field::content_type] == "application/json");
  CHECK(parser->get().body() == R"({"track": 12345, "time": 0.75})");
  buffers.Renew(&parser);
  Parse(*parser, third);
  CHECK(g_allocations.load() == before);
  CHECK(parser->get().target() == "/next/3");
  CHECK(buffers.arena().heap_allocations() == 0);
}

TEST_CASE("the allocation counter sees Beast's default parser allocate", "[server][allocations]") {
  // The control: without RequestBuffers the same request costs several allocations, so
  // the test above would notice a parser that stopped using the arena.
  const std::string wire = NextRequest(2);
  const long before = g_allocations.load();
  {
    http::request_parser<http::string_body> plain;
    boost::beast::error_code ec;
    plain.put(boost::asio::buffer(wire.data(), wire.size()), ec);
    REQUIRE_FALSE(ec);
  }
  CHECK(g_allocations.load() - before >= 4);
}

TEST_CASE("headers larger than the arena spill to the heap and parse whole",
          "[server][allocations]") {
  RequestBuffers buffers;
  std::optional<RequestParser> parser;
  std::string wire = "GET /track/1 HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 40; ++i)
    wire += "X-Filler-" + std::to_string(i) + ": " + std::string(60, 'v') + "\r\n";
  wire += "\r\n";
  buffers.Renew(&parser);
  Parse(*parser, wire);
  CHECK(buffers.arena().heap_allocations() > 0);
  CHECK(parser->get()["X-Filler-39"] == std::string(60, 'v'));
  CHECK(parser->get()["Host"] == "x");
  // Freed fields return to the heap or the arena as they came; the arena starts over.
  buffers.Renew(&parser);
  CHECK(buffers.arena().used() == 0);
}

TEST_CASE("a large body is not kept for the next request", "[server][allocations]") {
  RequestBuffers buffers;
  std::optional<RequestParser> parser;
  const std::string body(RequestBuffers::kRecycledBodyCapacity + 1, 'b');
  const std::string wire =
      "POST /admin/config HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  buffers.Renew(&parser);
  parser->body_limit(body.size());
  Parse(*parser, wire);
  CHECK(parser->get().body() == body);
  buffers.Renew(&parser);
  CHECK(parser->get().body().capacity() < RequestBuffers::kRecycledBodyCapacity);
}
