// Reading WebHDFS JSON responses: {"boolean": true}, {"FileStatus": {...}} and the
// {"RemoteException": {"exception": ..., "javaClassName": ..., "message": ...}} error body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tools/shipping/http_exchange.h"

namespace botify::tools {

// The Status for a response that is not the expected success: "<what>: HTTP 403
// Forbidden: AccessControlException: Permission denied: ...". Codes: 404 and
// FileNotFoundException -> kNotFound; FileAlreadyExistsException -> kAlreadyExists;
// 503 and StandbyException (an HA namenode that is not active) -> kUnavailable (worth a
// retry); other 4xx -> kFailedPrecondition; 5xx and anything else -> kIoError.
Status WebHdfsError(const std::string& what, const HttpResponse& response);

// {"boolean": true} -> true.
Result<bool> ParseBooleanResponse(const std::string& what, std::string_view body);

// A GETFILESTATUS body's FileStatus.type ("FILE", "DIRECTORY") and length.
struct FileStatusInfo {
  std::string type;
  std::uint64_t length = 0;
};
Result<FileStatusInfo> ParseFileStatus(const std::string& what, std::string_view body);

}  // namespace botify::tools
