// Free space on a file system, checked before work that would otherwise fail halfway
// with ENOSPC (an index ingest, whose failure inside RocksDB can take the process down).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/status.h"

namespace botify {

// Bytes an unprivileged writer may still use on the file system holding `path`
// (statvfs: f_bavail x f_frsize). kIoError naming `path` if it cannot be asked.
Result<std::uint64_t> FreeDiskBytes(const std::filesystem::path& path);

// True if `a` and `b` (both existing) are on the same file system (st_dev), so a rename
// or a hard link between them needs no copy.
Result<bool> OnSameFileSystem(const std::filesystem::path& a, const std::filesystem::path& b);

// kResourceExhausted unless the file system holding `dir` has at least `needed` bytes
// free; the message names `what`, the folder, the free and the needed bytes.
Status RequireFreeDiskBytes(const std::filesystem::path& dir, std::uint64_t needed,
                            const std::string& what);

}  // namespace botify
