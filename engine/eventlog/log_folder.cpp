#include "engine/eventlog/log_folder.h"

#include "engine/eventlog/log_layout.h"

#include <fmt/format.h>

#include <filesystem>

namespace botify::eventlog {

namespace fs = std::filesystem;

LogFolder::LogFolder(Env* env, std::string dir)
    : env_(env),
      dir_(std::move(dir)),
      active_dir_(ActiveDir(dir_)),
      sealed_dir_(SealedDir(dir_)),
      pid_file_(LogPath(dir_, kWriterLockFileName)) {}

Result<std::unique_ptr<LogFolder>> LogFolder::Open(Env* env, const std::string& dir,
                                                   const std::string& probe_name) {
  std::unique_ptr<LogFolder> folder(new LogFolder(env, dir));
  BOTIFY_RETURN_IF_ERROR(folder->CreateLayout());
  // Before anything else touches active/: a second server on this folder would otherwise
  // seal the live server's segment under it.
  BOTIFY_RETURN_IF_ERROR(folder->Lock());
  BOTIFY_RETURN_IF_ERROR(folder->CheckSealRename(probe_name));
  return folder;
}

std::string LogFolder::ActivePath(const std::string& name) const {
  return (fs::path(active_dir_) / name).string();
}

std::string LogFolder::SealedPath(const std::string& name) const {
  return (fs::path(sealed_dir_) / name).string();
}

Status LogFolder::CreateLayout() {
  BOTIFY_RETURN_IF_ERROR(env_->CreateDirs(active_dir_));
  return env_->CreateDirs(sealed_dir_);
}

Status LogFolder::Lock() {
  auto lock = env_->LockDir(dir_, pid_file_, std::string(kWriterHolderKind));
  if (!lock.ok()) return lock.status();
  lock_ = std::move(*lock);
  return Status::Ok();
}

Status LogFolder::CheckSealRename(const std::string& probe_name) {
  const std::string from = ActivePath(probe_name), to = SealedPath(probe_name);
  {
    auto probe = env_->OpenAppendable(from);
    if (!probe.ok()) return probe.status();
  }
  Status renamed = env_->Rename(from, to);
  if (!renamed.ok()) {
    (void)env_->Remove(from);
    return Status::FailedPrecondition(fmt::format(
        "{} cannot seal segments: a segment is sealed by renaming it from {} into {}, and "
        "that fails here ({}); make {} a plain folder on the file system of {} (not a "
        "symlink or a mount of another disk), moving what it holds back into it, or give "
        "--log-dir a folder on that other disk",
        dir_, active_dir_, sealed_dir_, renamed.message(), sealed_dir_, active_dir_));
  }
  return env_->Remove(to);
}

bool LogFolder::StillOurs() {
  if (lock_ == nullptr) return false;
  auto id = env_->IdOf(dir_);
  // A failure other than "no such folder" (say EACCES) cannot tell: assume it still is.
  if (!id.ok()) return id.status().code() != StatusCode::kNotFound;
  return *id == lock_->id();
}

Status LogFolder::Retake() {
  if (StillOurs()) return CreateLayout();
  lock_.reset();
  BOTIFY_RETURN_IF_ERROR(CreateLayout());
  return Lock();
}

}  // namespace botify::eventlog
