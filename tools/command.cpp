#include "tools/command.h"

#include <fmt/core.h>

namespace botify::tools {

void ExitIfError(const std::string& command, const Status& status) {
  if (status.ok()) return;
  fmt::print(stderr, "botify {}: {}\n", command, status.ToString());
  throw CommandFailed(status.code() == StatusCode::kInvalidArgument ? 2 : 1);
}

}  // namespace botify::tools
