// Whole-file reads and writes, and local file operations that survive a crash or power
// loss once they return: data is fsynced before it is renamed into place, and the folder
// is fsynced after a rename or unlink so the new directory entry is on disk too. Every
// layer reads and writes files through these; errors are kIoError naming the file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify {

// Reads the whole file into *out.
Status ReadWholeFile(const std::filesystem::path& path, std::string* out);

// Replaces `path` with `contents`. Not atomic and not fsynced: a crash can leave a
// partial file. For reports and generated files that are simply written again.
Status WriteWholeFile(const std::filesystem::path& path, std::string_view contents);

// Writes `data` to `path` (truncating) and fsyncs it. Not atomic by itself.
Status WriteAndSync(const std::filesystem::path& path, std::string_view data);

// Replaces `path` atomically and durably: writes "<path>.tmp", fsyncs it, renames it over
// `path` and fsyncs the folder, so a reader never sees a partial file and the new file
// survives a power loss. On failure the temporary file is removed and `path` is unchanged.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data);

// The last half of WriteFileAtomically for a file written some other way (a stream, an
// SST writer): fsyncs the complete file `tmp`, renames it over `path` and fsyncs the
// folder of `path`. Leaves `tmp` in place on failure.
Status CommitFile(const std::filesystem::path& tmp, const std::filesystem::path& path);

// fsyncs a directory so that renames and unlinks in it are durable.
Status SyncDir(const std::filesystem::path& dir);

// Atomically renames `from` to `to`, failing with kAlreadyExists if `to` exists (Linux
// renameat2 RENAME_NOREPLACE; on file systems without it, link + unlink). Then fsyncs the
// folders of both.
Status RenameNoReplace(const std::filesystem::path& from, const std::filesystem::path& to);

// Moves `from` into folder `to_dir` under the same name, never replacing a different
// file: a rename, or on another file system a durable copy under a temporary name, a
// rename into place and an unlink of `from`. If `to_dir` already has a file of that name
// and size (a crash interrupted an earlier move), `from` is just removed.
Status MoveIntoDir(const std::filesystem::path& from, const std::filesystem::path& to_dir);

// Unlinks `path` (ok if already gone) and fsyncs its folder.
Status RemoveDurably(const std::filesystem::path& path);

}  // namespace botify
