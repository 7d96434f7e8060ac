// Deterministic gzip compression of a whole buffer: the same input gives the same bytes
// (header mtime 0, fixed level), which the shipper relies on to recognise a .gz file that
// an interrupted earlier run already put in place by its length.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace botify::tools {

// Compresses `data` into a single gzip member (RFC 1952) at zlib level 6.
Result<std::string> GzipCompress(std::string_view data);

}  // namespace botify::tools
