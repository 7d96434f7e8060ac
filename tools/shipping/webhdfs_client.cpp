#include "tools/shipping/webhdfs_client.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <thread>

#include "tools/shipping/webhdfs_response.h"

namespace botify::tools {
namespace {

bool Retryable(const Status& status) { return status.code() == StatusCode::kUnavailable; }

}  // namespace

Status WebHdfsOptions::Validate() const {
  if (host.empty()) return Status::InvalidArgument("WebHDFS: the namenode host is empty");
  if (port == 0) return Status::InvalidArgument("WebHDFS: the namenode port is 0");
  if (root.empty() || root.front() != '/') {
    return Status::InvalidArgument("WebHDFS: root '" + root + "' is not an absolute path");
  }
  if (max_attempts < 1) return Status::InvalidArgument("WebHDFS: max_attempts must be >= 1");
  if (deadline.count() <= 0) return Status::InvalidArgument("WebHDFS: deadline must be > 0");
  return Status::Ok();
}

std::string WebHdfsClient::Absolute(const std::string& path) const {
  if (path.empty()) return options_.root;
  return options_.root == "/" ? "/" + path : options_.root + "/" + path;
}

std::string WebHdfsClient::Target(const std::string& path, const std::string& op,
                                  const std::string& extra_key,
                                  const std::string& extra_value) const {
  boost::urls::url url;
  url.set_path("/webhdfs/v1" + Absolute(path));
  url.params().append({"op", op});
  if (!options_.user.empty()) url.params().append({"user.name", options_.user});
  if (!extra_key.empty()) url.params().append({extra_key, extra_value});
  return std::string(url.encoded_target());
}

std::string WebHdfsClient::Describe(const std::string& path) const {
  return "webhdfs://" + options_.host + ":" + std::to_string(options_.port) + Absolute(path);
}

Result<HttpResponse> WebHdfsClient::Retrying(const std::string& what,
                                             const std::function<Result<HttpResponse>()>& attempt) {
  std::chrono::milliseconds backoff = options_.initial_backoff;
  for (int i = 1;; ++i) {
    Result<HttpResponse> response = attempt();
    Status status = response.ok() && response->status == 503 ? WebHdfsError(what, *response)
                                                             : response.status();
    if (status.ok() || !Retryable(status)) return response;
    if (i >= options_.max_attempts) {
      return status.WithContext(what + ": gave up after " + std::to_string(i) + " tries");
    }
    if (options_.on_retry) {
      options_.on_retry("retrying " + what + " in " + std::to_string(backoff.count()) +
                        " ms: " + status.ToString());
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

Result<HttpResponse> WebHdfsClient::Call(const char* method, const std::string& target) {
  const HttpEndpoint namenode{options_.host, options_.port};
  return Retrying(std::string(method) + " " + target,
                  [&] { return HttpExchange(namenode, method, target, "", options_.deadline); });
}

Result<std::optional<std::uint64_t>> WebHdfsClient::FileLength(const std::string& path) {
  const std::string what = "GETFILESTATUS " + Describe(path);
  auto response = Call("GET", Target(path, "GETFILESTATUS"));
  if (!response.ok()) return response.status();
  if (response->status == 404) return std::optional<std::uint64_t>();
  if (response->status != 200) return WebHdfsError(what, *response);
  auto info = ParseFileStatus(what, response->body);
  if (!info.ok()) return info.status();
  if (info->type != "FILE") {
    return Status::FailedPrecondition(Describe(path) + " exists and is a " + info->type);
  }
  return std::optional<std::uint64_t>(info->length);
}

Status WebHdfsClient::MakeDirs(const std::string& dir) {
  const std::string what = "MKDIRS " + Describe(dir);
  auto response = Call("PUT", Target(dir, "MKDIRS"));
  if (!response.ok()) return response.status();
  if (response->status != 200) return WebHdfsError(what, *response);
  auto created = ParseBooleanResponse(what, response->body);
  if (!created.ok()) return created.status();
  if (!*created) return Status::IoError(what + ": the namenode answered false");
  return Status::Ok();
}

Result<HttpResponse> WebHdfsClient::CreateOnce(const std::string& path, std::string_view data) {
  const std::string what = "CREATE " + Describe(path);
  const HttpEndpoint namenode{options_.host, options_.port};
  auto redirect = HttpExchange(namenode, "PUT", Target(path, "CREATE", "overwrite", "true"), "",
                               options_.deadline);
  if (!redirect.ok() || redirect->status != 307) return redirect;
  auto location = boost::urls::parse_uri(redirect->location);
  if (!location || location->scheme() != "http" || location->host().empty()) {
    return Status::IoError(what + ": the namenode redirected to an unusable Location '" +
                           redirect->location + "' (only http:// datanodes are supported)");
  }
  const HttpEndpoint datanode{std::string(location->host()),
                              location->has_port() ? location->port_number() : std::uint16_t{80}};
  return HttpExchange(datanode, "PUT", std::string(location->encoded_target()), data,
                      options_.deadline);
}

Status WebHdfsClient::Write(const std::string& path, std::string_view data) {
  const std::string what = "CREATE " + Describe(path);
  auto response = Retrying(what, [&] { return CreateOnce(path, data); });
  if (!response.ok()) return response.status();
  if (response->status != 201) return WebHdfsError(what, *response);
  return Status::Ok();
}

Status WebHdfsClient::Rename(const std::string& from, const std::string& to) {
  const std::string what = "RENAME " + Describe(from) + " to " + Absolute(to);
  auto response = Call("PUT", Target(from, "RENAME", "destination", Absolute(to)));
  if (!response.ok()) return response.status();
  if (response->status != 200) return WebHdfsError(what, *response);
  auto renamed = ParseBooleanResponse(what, response->body);
  if (!renamed.ok()) return renamed.status();
  if (*renamed) return Status::Ok();
  // HDFS answers false without saying why; find out.
  auto existing = FileLength(to);
  if (existing.ok() && existing->has_value()) {
    return Status::AlreadyExists(what + ": the destination already exists");
  }
  return Status::IoError(what + ": the namenode answered false (source missing?)");
}

Status WebHdfsClient::Delete(const std::string& path) {
  const std::string what = "DELETE " + Describe(path);
  auto response = Call("DELETE", Target(path, "DELETE", "recursive", "false"));
  if (!response.ok()) return response.status();
  if (response->status != 200) return WebHdfsError(what, *response);
  auto deleted = ParseBooleanResponse(what, response->body);
  return deleted.ok() ? Status::Ok() : deleted.status();
}

}  // namespace botify::tools
