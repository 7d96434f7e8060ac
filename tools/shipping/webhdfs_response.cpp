#include "tools/shipping/webhdfs_response.h"

#include <boost/json/parse.hpp>

#include "base/json_fields.h"

namespace botify::tools {
namespace {

namespace json = boost::json;

// Parses a JSON object body; the error names the request.
Result<json::object> ParseBody(const std::string& what, std::string_view body) {
  auto object = ParseObject(body);
  if (!object.ok()) {
    return Status::IoError(what + ": unexpected response body: " + object.status().message());
  }
  return std::move(object).value();
}

StatusCode CodeFor(unsigned http_status, std::string_view exception) {
  if (exception == "StandbyException" || http_status == 503) return StatusCode::kUnavailable;
  if (exception == "FileNotFoundException" || http_status == 404) return StatusCode::kNotFound;
  if (exception == "FileAlreadyExistsException") return StatusCode::kAlreadyExists;
  if (http_status >= 400 && http_status < 500) return StatusCode::kFailedPrecondition;
  return StatusCode::kIoError;
}

}  // namespace

Status WebHdfsError(const std::string& what, const HttpResponse& response) {
  std::string message = what + ": HTTP " + std::to_string(response.status) + " " + response.reason;
  std::string exception;
  json::error_code ec;
  const json::value body = json::parse(response.body, ec);
  const json::object* remote = nullptr;
  if (!ec && body.is_object()) {
    if (const json::value* r = body.as_object().if_contains("RemoteException")) {
      remote = r->if_object();
    }
  }
  if (remote != nullptr) {
    if (auto e = GetString(*remote, "exception"); e.ok()) exception = *e;
    if (auto m = GetString(*remote, "message"); m.ok()) message += ": " + exception + ": " + *m;
  } else if (!response.body.empty()) {
    message += ": " + response.body.substr(0, 300);
  }
  if (exception == "StandbyException") {
    message += " (this namenode is the HA standby: point --to at the active namenode)";
  }
  return Status(CodeFor(response.status, exception), message);
}

Result<bool> ParseBooleanResponse(const std::string& what, std::string_view body) {
  auto object = ParseBody(what, body);
  if (!object.ok()) return object.status();
  const json::value* b = object->if_contains("boolean");
  if (b == nullptr || !b->is_bool()) {
    return Status::IoError(what + ": response has no boolean field: " + std::string(body));
  }
  return b->as_bool();
}

Result<FileStatusInfo> ParseFileStatus(const std::string& what, std::string_view body) {
  auto object = ParseBody(what, body);
  if (!object.ok()) return object.status();
  const json::value* fs = object->if_contains("FileStatus");
  if (fs == nullptr || !fs->is_object()) {
    return Status::IoError(what + ": response has no FileStatus object: " + std::string(body));
  }
  auto type = GetString(fs->as_object(), "type");
  auto length = GetUnsigned(fs->as_object(), "length", UINT64_MAX);
  if (!type.ok()) return type.status().WithContext(what);
  if (!length.ok()) return length.status().WithContext(what);
  return FileStatusInfo{*type, *length};
}

}  // namespace botify::tools
