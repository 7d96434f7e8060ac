#include "tests/fake_env.h"

#include <algorithm>
#include <filesystem>

namespace botify::testing {
namespace {

std::string Parent(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

bool Under(const std::string& path, const std::string& dir) {
  return path == dir || path.starts_with(dir + "/");
}

}  // namespace

class FakeEnv::File final : public AppendableFile {
 public:
  File(FakeEnv* env, std::uint64_t inode, std::string path)
      : env_(env), inode_(inode), path_(std::move(path)) {}
  Result<std::size_t> Append(std::string_view data) override {
    return env_->AppendTo(inode_, path_, data);
  }
  Status Sync() override { return env_->SyncFile(path_); }
  Result<FileId> Id() override { return FileId{1, inode_}; }

 private:
  FakeEnv* const env_;
  const std::uint64_t inode_;
  const std::string path_;
};

class FakeEnv::Lock final : public FileLock {
 public:
  Lock(FakeEnv* env, std::uint64_t inode) : env_(env), inode_(inode) {}
  ~Lock() override {
    std::lock_guard lock(env_->mu_);
    env_->locked_dirs_.erase(inode_);
  }
  FileId id() const override { return FileId{1, inode_}; }

 private:
  FakeEnv* const env_;
  const std::uint64_t inode_;
};

FakeEnv::FakeEnv() = default;

void FakeEnv::set_fail_appends(bool fail) {
  std::lock_guard lock(mu_);
  fail_appends_ = fail;
}
void FakeEnv::set_fail_syncs(bool fail) {
  std::lock_guard lock(mu_);
  fail_syncs_ = fail;
}
void FakeEnv::set_cross_device(const std::string& dir, bool cross) {
  std::lock_guard lock(mu_);
  if (cross) {
    cross_device_.insert(dir);
  } else {
    cross_device_.erase(dir);
  }
}
void FakeEnv::set_capacity(std::uint64_t bytes) {
  std::lock_guard lock(mu_);
  capacity_ = bytes;
}
void FakeEnv::Advance(std::chrono::nanoseconds by) {
  std::vector<Waiter> wake;
  {
    std::lock_guard lock(mu_);
    elapsed_ += by;
    wake = waiters_;
  }
  // Not under mu_: a waiter takes mu_ while it holds its own mutex.
  for (const Waiter& w : wake) {
    MutexLock hold(*w.mu);
    w.cv->NotifyAll();
  }
}
void FakeEnv::set_manual_clock(bool manual) {
  std::lock_guard lock(mu_);
  manual_clock_ = manual;
}
int FakeEnv::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(waiters_.size());
}
std::uint64_t FakeEnv::waits_begun() const {
  std::lock_guard lock(mu_);
  return waits_begun_;
}
void FakeEnv::StepWallClock(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  wall_step_ += by;
}

bool FakeEnv::Exists(const std::string& path) const {
  std::lock_guard lock(mu_);
  return files_.count(path) > 0;
}
std::string FakeEnv::Contents(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : data_.at(it->second);
}
void FakeEnv::Put(const std::string& path, std::string contents) {
  std::lock_guard lock(mu_);
  CreateDirsLocked(Parent(path));
  auto [it, created] = files_.emplace(path, next_inode_);
  if (created) ++next_inode_;
  data_[it->second] = std::move(contents);
}
void FakeEnv::RemoveAll(const std::string& dir, bool hold_new_one) {
  std::lock_guard lock(mu_);
  std::erase_if(files_, [&](const auto& f) { return Under(f.first, dir); });
  std::erase_if(dirs_, [&](const auto& d) { return Under(d.first, dir); });
  if (hold_new_one) {
    CreateDirsLocked(dir);
    locked_dirs_.insert(dirs_.at(dir));
  }
}
void FakeEnv::ReleaseForeignLock(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (dirs_.count(dir)) locked_dirs_.erase(dirs_.at(dir));
}
std::uint64_t FakeEnv::appends_failed() const {
  std::lock_guard lock(mu_);
  return appends_failed_;
}

std::uint64_t FakeEnv::used() const {
  std::lock_guard lock(mu_);
  return UsedLocked();
}

std::uint64_t FakeEnv::UsedLocked() const {
  std::uint64_t used = 0;
  for (const auto& [inode, contents] : data_) used += contents.size();
  return used;
}

void FakeEnv::CreateDirsLocked(const std::string& dir) {
  for (std::filesystem::path p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (dirs_.emplace(p.string(), next_inode_).second) ++next_inode_;
  }
}

Status FakeEnv::CreateDirs(const std::string& dir) {
  std::lock_guard lock(mu_);
  CreateDirsLocked(dir);
  return Status::Ok();
}

Result<std::unique_ptr<AppendableFile>> FakeEnv::OpenAppendable(const std::string& path) {
  std::lock_guard lock(mu_);
  if (dirs_.count(Parent(path)) == 0) return Status::IoError("cannot open " + path + ": no folder");
  auto [it, created] = files_.emplace(path, next_inode_);
  if (created) {
    data_[next_inode_] = "";
    ++next_inode_;
  }
  return std::unique_ptr<AppendableFile>(new File(this, it->second, path));
}

Result<std::size_t> FakeEnv::AppendTo(std::uint64_t inode, const std::string& path,
                                      std::string_view data) {
  std::lock_guard lock(mu_);
  std::size_t n = data.size();
  if (capacity_ > 0) {
    const std::uint64_t used = UsedLocked();
    n = static_cast<std::size_t>(
        std::min<std::uint64_t>(n, capacity_ > used ? capacity_ - used : 0));
  }
  if (fail_appends_ || n == 0) {
    ++appends_failed_;
    return Status::IoError("cannot write " + path + ": No space left on device");
  }
  data_[inode].append(data.substr(0, n));  // also when no name links it any more
  return n;
}

Status FakeEnv::SyncFile(const std::string& path) {
  std::lock_guard lock(mu_);
  if (fail_syncs_) return Status::IoError("cannot fsync " + path + ": Input/output error");
  return Status::Ok();
}

Result<std::vector<FileEntry>> FakeEnv::ListFiles(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (dirs_.count(dir) == 0) return Status::IoError("cannot list " + dir + ": no such folder");
  std::vector<FileEntry> out;
  for (const auto& [path, inode] : files_) {
    if (Parent(path) == dir)
      out.push_back({std::filesystem::path(path).filename().string(), data_.at(inode).size()});
  }
  return out;
}

Status FakeEnv::ReadAt(const std::string& path, std::uint64_t offset, std::size_t n,
                       std::string* out) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot open " + path + ": no such file");
  const std::string& contents = data_.at(it->second);
  *out = offset >= contents.size() ? std::string() : contents.substr(offset, n);
  return Status::Ok();
}

Status FakeEnv::TruncateDurably(const std::string& path, std::uint64_t size) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot open " + path + ": no such file");
  std::string& contents = data_.at(it->second);
  contents.resize(std::min<std::uint64_t>(size, contents.size()));
  return Status::Ok();
}

Status FakeEnv::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return Status::IoError("cannot rename " + from + ": no such file");
  if (dirs_.count(Parent(to)) == 0)
    return Status::IoError("cannot rename to " + to + ": no folder");
  if (cross_device_.count(Parent(to)) != cross_device_.count(Parent(from))) {
    return Status::IoError("cannot rename " + from + " to " + to + ": Invalid cross-device link");
  }
  const std::uint64_t inode = it->second;
  files_.erase(it);
  files_[to] = inode;
  return Status::Ok();
}

Status FakeEnv::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (files_.erase(path) == 0) return Status::IoError("cannot remove " + path + ": no such file");
  return Status::Ok();
}

Status FakeEnv::SyncDir(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (dirs_.count(dir) == 0) return Status::IoError("cannot fsync " + dir + ": no such folder");
  return Status::Ok();
}

Status FakeEnv::WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::lock_guard lock(mu_);
  if (dirs_.count(Parent(path)) == 0) {
    return Status::IoError("cannot write " + path + ": no folder");
  }
  if (auto old = files_.find(path); old != files_.end()) data_.erase(old->second);
  files_[path] = next_inode_;
  data_[next_inode_++] = std::string(contents);
  return Status::Ok();
}

Result<FileId> FakeEnv::IdOf(const std::string& path) {
  std::lock_guard lock(mu_);
  if (auto it = files_.find(path); it != files_.end()) return FileId{1, it->second};
  if (auto it = dirs_.find(path); it != dirs_.end()) return FileId{1, it->second};
  return Status::NotFound("no file " + path);
}

Result<std::unique_ptr<FileLock>> FakeEnv::LockDir(const std::string& dir,
                                                   const std::string& /*pid_file*/,
                                                   const std::string& holder_kind) {
  std::lock_guard lock(mu_);
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return Status::IoError("cannot open folder " + dir + " to lock it");
  if (!locked_dirs_.insert(it->second).second) {
    return Status::Unavailable(dir + " is in use by another " + holder_kind);
  }
  return std::unique_ptr<FileLock>(new Lock(this, it->second));
}

std::chrono::steady_clock::time_point FakeEnv::SteadyNow() {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_));
}

std::chrono::system_clock::time_point FakeEnv::WallNow() {
  std::lock_guard lock(mu_);
  // 2024-02-19T08:16:30Z plus the elapsed time (and any step): segment names are
  // deterministic.
  return std::chrono::system_clock::time_point(std::chrono::seconds(1708330590)) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed_ + wall_step_);
}

bool FakeEnv::WaitUntil(CondVar& cv, Mutex& mu, std::chrono::steady_clock::time_point deadline) {
  std::chrono::steady_clock::duration remaining;
  bool manual;
  {
    std::lock_guard lock(mu_);
    ++waits_begun_;
    const std::chrono::steady_clock::time_point now(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_));
    if (now >= deadline) return false;
    remaining = deadline - now;
    manual = manual_clock_;
    if (manual) waiters_.push_back({&cv, &mu});
  }
  if (!manual) return cv.WaitUntil(mu, std::chrono::steady_clock::now() + remaining);
  cv.Wait(mu);  // by the caller's notify, or Advance's
  std::lock_guard lock(mu_);
  waiters_.erase(std::find_if(waiters_.begin(), waiters_.end(),
                              [&](const Waiter& w) { return w.cv == &cv && w.mu == &mu; }));
  return std::chrono::steady_clock::time_point(
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_)) < deadline;
}

}  // namespace botify::testing
