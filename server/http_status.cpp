#include "server/http_status.h"

namespace botify::server {

namespace http = boost::beast::http;

http::status HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return http::status::ok;
    case StatusCode::kInvalidArgument:
      return http::status::bad_request;
    case StatusCode::kNotFound:
      return http::status::not_found;
    case StatusCode::kAlreadyExists:
      return http::status::conflict;
    case StatusCode::kFailedPrecondition:
      return http::status::conflict;
    case StatusCode::kUnavailable:
      return http::status::service_unavailable;
    case StatusCode::kResourceExhausted:
      return http::status::insufficient_storage;  // 507: the only exhaustion the admin meets
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

}  // namespace botify::server
