#include <catch2/catch.hpp>

#include "server/http_status.h"

using botify::StatusCode;
using botify::server::HttpStatusFor;
namespace http = boost::beast::http;

// The admin handler answers every failed load or config push through HttpStatusFor, so
// this table is what an operator's script sees.
TEST_CASE("each Status code has one HTTP status", "[server][http]") {
  CHECK(HttpStatusFor(StatusCode::kOk) == http::status::ok);
  CHECK(HttpStatusFor(StatusCode::kInvalidArgument) == http::status::bad_request);
  CHECK(HttpStatusFor(StatusCode::kNotFound) == http::status::not_found);
  CHECK(HttpStatusFor(StatusCode::kAlreadyExists) == http::status::conflict);
  CHECK(HttpStatusFor(StatusCode::kFailedPrecondition) == http::status::conflict);
  CHECK(HttpStatusFor(StatusCode::kUnavailable) == http::status::service_unavailable);
  CHECK(HttpStatusFor(StatusCode::kResourceExhausted) == http::status::insufficient_storage);
  CHECK(HttpStatusFor(StatusCode::kIoError) == http::status::internal_server_error);
  CHECK(HttpStatusFor(StatusCode::kCorruption) == http::status::internal_server_error);
  CHECK(HttpStatusFor(StatusCode::kInternal) == http::status::internal_server_error);
}
