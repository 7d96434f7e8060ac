// The folder an event-log writer owns (docs/server.md, "Event log"; its layout,
// engine/eventlog/log_layout.h): active/, sealed/ and the lock holder's pid file.
//
// Ownership is an flock on the folder <dir> itself, held for the object's life. A lock
// file could be deleted from under the holder and a second writer would then lock a new
// one; the folder cannot be replaced without the path <dir> naming a different folder,
// which StillOurs() sees.
//
// Thread-compatible: the writer's thread uses it (and Start before that thread runs).
#pragma once

#include <memory>
#include <string>

#include "base/env.h"
#include "base/status.h"

namespace botify::eventlog {

class LogFolder {
 public:
  // Creates active/ and sealed/, locks the folder (kUnavailable naming the holder's pid if
  // another process has it) and checks that sealing can work there: a file renamed from
  // active/ into sealed/ (named `probe_name`, removed again). A layout where it cannot (say
  // sealed/ a symlink to another file system: EXDEV) is kFailedPrecondition naming the
  // reason and the fix. `env` must outlive the object.
  static Result<std::unique_ptr<LogFolder>> Open(Env* env, const std::string& dir,
                                                 const std::string& probe_name);
  LogFolder(const LogFolder&) = delete;
  LogFolder& operator=(const LogFolder&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& active_dir() const { return active_dir_; }
  const std::string& sealed_dir() const { return sealed_dir_; }
  std::string ActivePath(const std::string& name) const;
  std::string SealedPath(const std::string& name) const;

  // True while the path dir() names the folder this object locked (one stat). False once
  // it was removed, or moved away and another put in its place.
  bool StillOurs();
  // After StillOurs() turned false: creates the folder and its layout again at dir() and
  // locks it. kUnavailable if another process holds the folder now there (this object
  // then owns nothing until a later Retake succeeds). Also recreates active/ and sealed/
  // of a folder that is still ours.
  Status Retake();

 private:
  LogFolder(Env* env, std::string dir);
  Status CreateLayout();
  Status Lock();
  Status CheckSealRename(const std::string& probe_name);

  Env* const env_;
  const std::string dir_, active_dir_, sealed_dir_, pid_file_;
  std::unique_ptr<FileLock> lock_;  // null after a Retake that found the folder taken
};

}  // namespace botify::eventlog
