// Talks to the admin endpoints of one or more running botify-server hosts (the same
// index file is loaded on every edge host).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tools/shipping/http_exchange.h"

namespace botify::tools {

struct AdminTarget {
  HttpEndpoint endpoint;
  std::string label;  // "127.0.0.1:5002", for reports
};

// Parses "http://host:port", "host:port" or ":port" (host 127.0.0.1).
Result<AdminTarget> ParseAdminTarget(std::string_view text);

// Reads the bearer token (surrounding whitespace stripped).
Result<std::string> ReadTokenFile(const std::string& path);

// Thread-compatible.
class AdminClient {
 public:
  AdminClient(std::string token, std::chrono::milliseconds deadline)
      : token_(std::move(token)), deadline_(deadline) {}

  // Sends the request; a non-2xx answer becomes an error carrying the server's message.
  Result<std::string> Call(const AdminTarget& target, std::string_view method,
                           const std::string& path, std::string_view body) const;

 private:
  std::string token_;
  std::chrono::milliseconds deadline_;
};

}  // namespace botify::tools
