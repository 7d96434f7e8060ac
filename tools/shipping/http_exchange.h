// One synchronous HTTP/1.1 request and its response over a fresh loopback-or-LAN TCP
// connection (Boost.Beast), bounded by a deadline. Used by the WebHDFS client.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace botify::tools {

struct HttpEndpoint {
  std::string host;
  std::uint16_t port = 0;
};

struct HttpResponse {
  unsigned status = 0;   // 200, 307, 404, ...
  std::string reason;    // "Temporary Redirect"
  std::string location;  // the Location header, empty if absent
  std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Sends `method target` (origin form, already percent-encoded: "/webhdfs/v1/a?op=X") with
// `body` to `endpoint` and reads the whole response (its body limited to 4 MiB). The
// connection is closed afterwards. Every failure to get a complete response (resolve,
// connect, reset, dropped connection, deadline) is kUnavailable: the caller may retry.
// `extra_headers` are added to the request (e.g. Authorization). Thread-safe.
Result<HttpResponse> HttpExchange(const HttpEndpoint& endpoint, std::string_view method,
                                  const std::string& target, std::string_view body,
                                  std::chrono::milliseconds deadline,
                                  const HttpHeaders& extra_headers = {});

}  // namespace botify::tools
