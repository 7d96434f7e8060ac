// Response serialization and JSON string escaping, without a socket.
#include "server/http_types.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace botify::server;

namespace {

// The JSON literal AppendJsonString makes of `s`, parsed back.
std::string RoundTrip(std::string_view s) {
  std::string literal;
  AppendJsonString(&literal, s);
  boost::system::error_code ec;
  auto v = boost::json::parse(literal, ec);
  INFO(literal);
  REQUIRE_FALSE(ec);
  return std::string(v.as_string());
}

}  // namespace

TEST_CASE("JSON strings stay valid JSON for any bytes", "[server][http]") {
  // Well-formed text passes unchanged, escapes included.
  for (std::string_view s : {"plain", "quote \" backslash \\ tab \t", "caf\xC3\xA9",
                             "\xE2\x82\xAC euro", "\xF0\x9F\x8E\xB5 note", ""}) {
    CHECK(RoundTrip(s) == s);
  }
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(RoundTrip("/foo\xFF") == "/foo" + fffd);                      // never valid in UTF-8
  CHECK(RoundTrip("cut \xE2\x82") == "cut " + fffd + fffd);           // a character cut short
  CHECK(RoundTrip("\xC0\xAF") == fffd + fffd);                        // an overlong '/'
  CHECK(RoundTrip("\xED\xA0\x80") == fffd + fffd + fffd);             // a UTF-16 surrogate
  CHECK(RoundTrip("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
  CHECK(RoundTrip("\x01") == "\x01");                                 // control: \u0001
}

TEST_CASE("a HEAD answer has the GET answer's headers and no body", "[server][http]") {
  Response r;
  r.body = R"({"track": 1})";
  std::string get, head;
  SerializeResponse(r, 11, true, &get);
  r.omit_body = true;
  SerializeResponse(r, 11, true, &head);
  CHECK_THAT(head, Catch::Contains("Content-Length: 12\r\n"));
  CHECK_THAT(head, Catch::EndsWith("\r\n\r\n"));
  CHECK(get == head + r.body);
  r.Reset();
  CHECK_FALSE(r.omit_body);
}
