// Writes a whole file at once, for the small generated data files (world, reports).
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace botify {

// Replaces `path` with `contents`. Not atomic: a crash can leave a partial file.
Status WriteWholeFile(const std::string& path, std::string_view contents);

// Replaces `path` atomically: writes "<path>.tmp", then renames it into place, so a reader
// never sees a partial file. On failure the temporary file is removed and `path` is
// unchanged.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace botify
