// Opens the ShipTarget named by a --to URI (see target_uri.h).
#pragma once

#include <memory>
#include <string>

#include "tools/shipping/ship_target.h"
#include "tools/shipping/webhdfs_client.h"

namespace botify::tools {

// `webhdfs` supplies user, retries, timeouts and the retry reporter for WebHDFS targets;
// its host, port and root are taken from the URI. A local target's folder is created.
Result<std::unique_ptr<ShipTarget>> OpenShipTarget(const std::string& uri, WebHdfsOptions webhdfs);

}  // namespace botify::tools
