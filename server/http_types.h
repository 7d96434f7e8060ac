// Request and response types shared by the sessions and the handlers. Requests are
// parsed by Beast; responses are serialized by hand into one buffer, so each goes out in
// a single write (a response split over two writes can stall ~40 ms on delayed ACKs).
#pragma once

#include <ostream>  // boost/core string_view needs it before Beast headers in 1.81

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

#include "server/request_arena.h"

namespace botify::server {

namespace http = boost::beast::http;
// Header fields come from the connection's RequestArena (server/request_arena.h); a Request
// made elsewhere (tests, fuzzers) has a default allocator, which is the heap.
using RequestFields = http::basic_fields<ArenaAllocator<char>>;
using Request = http::request<http::string_body, RequestFields>;
using RequestParser = http::request_parser<http::string_body, ArenaAllocator<char>>;

// Reused across the requests of a connection; Reset() keeps the buffers' capacity.
struct Response {
  http::status status = http::status::ok;
  std::string body;
  std::string_view content_type = "application/json";
  std::string extra_headers;  // complete header lines, each ending in "\r\n"
  bool close = false;         // close the connection after this response
  // Answer to a HEAD request: the headers of the GET answer, Content-Length included,
  // and no body (RFC 9110 §9.3.2), so keep-alive clients stay in sync.
  bool omit_body = false;

  void Reset();
  // {"error": "<message>"} with `status`; the message is JSON-escaped.
  void Error(http::status s, std::string_view message);
};

// HTTP/1.x status line, headers and body into *out (replacing it).
void SerializeResponse(const Response& response, unsigned version, bool keep_alive,
                       std::string* out);

// Appends `s` as a JSON string literal (with quotes), escaping as RFC 8259 requires. Bytes
// that are not well-formed UTF-8 (also a multi-byte character cut short) become U+FFFD, so
// the result is valid JSON whatever `s` holds (a client's path, say).
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace botify::server
