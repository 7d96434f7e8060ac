// A WebHDFS REST client (Hadoop 3 namenode HTTP API, simple authentication) exposing the
// few operations the shipper needs as a ShipTarget:
//
//   GETFILESTATUS  GET    /webhdfs/v1/<path>?op=GETFILESTATUS
//   MKDIRS         PUT    /webhdfs/v1/<dir>?op=MKDIRS
//   CREATE         PUT    /webhdfs/v1/<path>?op=CREATE&overwrite=true   (no data)
//                    -> 307 Location: http://<datanode>/webhdfs/v1/<path>?op=CREATE&...
//                  PUT    <Location> with the data                      -> 201 Created
//   RENAME         PUT    /webhdfs/v1/<from>?op=RENAME&destination=<to> -> {"boolean": true}
//   DELETE         DELETE /webhdfs/v1/<path>?op=DELETE&recursive=false
//
// every one with `user.name=<user>` when a user is set. Connection failures (refused,
// reset, dropped, timed out) and 503/StandbyException answers are retried up to
// `max_attempts` times with exponential backoff; other error answers become a Status at
// once, with the RemoteException's class and message.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "tools/shipping/http_exchange.h"
#include "tools/shipping/ship_target.h"

namespace botify::tools {

struct WebHdfsOptions {
  // The namenode's HTTP address (dfs.namenode.http-address; 9870 on Hadoop 3).
  std::string host;
  std::uint16_t port = 9870;
  // Absolute HDFS folder that relative paths are resolved against.
  std::string root = "/";
  // Sent as user.name (simple auth). Empty: not sent, the cluster decides (usually dr.who).
  std::string user;
  // Tries per operation for retryable failures; 1 = no retry.
  int max_attempts = 5;
  // Wait before the first retry; doubles on each further retry, up to max_backoff.
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
  // Bound on one HTTP exchange (connect, send the data, read the answer).
  std::chrono::milliseconds deadline{120000};
  // Told about each retry ("retrying CREATE ... after 200 ms: ..."); may be empty.
  std::function<void(const std::string&)> on_retry;

  Status Validate() const;
};

// Thread-compatible.
class WebHdfsClient : public ShipTarget {
 public:
  explicit WebHdfsClient(WebHdfsOptions options) : options_(std::move(options)) {}

  Result<std::optional<std::uint64_t>> FileLength(const std::string& path) override;
  Status MakeDirs(const std::string& dir) override;
  Status Write(const std::string& path, std::string_view data) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path) override;
  std::string Describe(const std::string& path) const override;

 private:
  // "/root/<path>": the absolute HDFS path.
  std::string Absolute(const std::string& path) const;
  // "/webhdfs/v1/<abs>?op=<op>&user.name=<u>[&<extra>=<value>]", percent-encoded.
  std::string Target(const std::string& path, const std::string& op,
                     const std::string& extra_key = "", const std::string& extra_value = "") const;
  // One namenode request, retried on retryable failures.
  Result<HttpResponse> Call(const char* method, const std::string& target);
  // Calls `attempt` until it succeeds, fails for good, or runs out of tries.
  Result<HttpResponse> Retrying(const std::string& what,
                                const std::function<Result<HttpResponse>()>& attempt);
  // The two-step CREATE, once.
  Result<HttpResponse> CreateOnce(const std::string& path, std::string_view data);

  // Constant after construction.
  const WebHdfsOptions options_;
};

}  // namespace botify::tools
