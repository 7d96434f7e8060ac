#include "tools/shipping/ship_target_factory.h"

#include <system_error>

#include "tools/shipping/local_target.h"
#include "tools/shipping/target_uri.h"

namespace botify::tools {

Result<std::unique_ptr<ShipTarget>> OpenShipTarget(const std::string& uri, WebHdfsOptions webhdfs) {
  auto parsed = ParseTargetUri(uri);
  if (!parsed.ok()) return parsed.status();
  if (parsed->kind == TargetUri::Kind::kLocal) {
    std::error_code ec;
    std::filesystem::create_directories(parsed->path, ec);
    if (ec) return Status::IoError("cannot create " + parsed->path + ": " + ec.message());
    return std::unique_ptr<ShipTarget>(new LocalTarget(parsed->path));
  }
  webhdfs.host = parsed->host;
  webhdfs.port = parsed->port;
  webhdfs.root = parsed->path;
  BOTIFY_RETURN_IF_ERROR(webhdfs.Validate());
  return std::unique_ptr<ShipTarget>(new WebHdfsClient(std::move(webhdfs)));
}

}  // namespace botify::tools
