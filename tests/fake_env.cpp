#include "tests/fake_env.h"

#include <filesystem>

namespace botify::testing {
namespace {

std::string Parent(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

class FakeEnv::File final : public AppendableFile {
 public:
  File(FakeEnv* env, std::string path) : env_(env), path_(std::move(path)) {}
  Result<std::size_t> Append(std::string_view data) override { return env_->AppendTo(path_, data); }
  Status Sync() override { return env_->SyncFile(path_); }

 private:
  FakeEnv* const env_;
  const std::string path_;
};

class FakeLock final : public FileLock {
 public:
  FakeLock(std::mutex* mu, std::set<std::string>* locks, std::string path)
      : mu_(mu), locks_(locks), path_(std::move(path)) {}
  ~FakeLock() override {
    std::lock_guard lock(*mu_);
    locks_->erase(path_);
  }

 private:
  std::mutex* mu_;
  std::set<std::string>* locks_;
  std::string path_;
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
void FakeEnv::set_capacity(std::uint64_t bytes) {
  std::lock_guard lock(mu_);
  capacity_ = bytes;
}
void FakeEnv::Advance(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  elapsed_ += by;
}

bool FakeEnv::Exists(const std::string& path) const {
  std::lock_guard lock(mu_);
  return files_.count(path) > 0;
}
std::string FakeEnv::Contents(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : it->second;
}
void FakeEnv::Put(const std::string& path, std::string contents) {
  std::lock_guard lock(mu_);
  dirs_.insert(Parent(path));
  files_[path] = std::move(contents);
}
std::uint64_t FakeEnv::appends_failed() const {
  std::lock_guard lock(mu_);
  return appends_failed_;
}

std::uint64_t FakeEnv::UsedLocked() const {
  std::uint64_t used = 0;
  for (const auto& [path, contents] : files_) used += contents.size();
  return used;
}

Status FakeEnv::CreateDirs(const std::string& dir) {
  std::lock_guard lock(mu_);
  for (std::filesystem::path p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    dirs_.insert(p.string());
  }
  return Status::Ok();
}

Result<std::unique_ptr<AppendableFile>> FakeEnv::OpenAppendable(const std::string& path) {
  std::lock_guard lock(mu_);
  if (dirs_.count(Parent(path)) == 0) return Status::IoError("cannot open " + path + ": no folder");
  files_[path];  // created empty if new
  return std::unique_ptr<AppendableFile>(new File(this, path));
}

Result<std::size_t> FakeEnv::AppendTo(const std::string& path, std::string_view data) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot write " + path + ": removed");
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
  it->second.append(data.substr(0, n));
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
  for (const auto& [path, contents] : files_) {
    if (Parent(path) == dir)
      out.push_back({std::filesystem::path(path).filename().string(), contents.size()});
  }
  return out;
}

Status FakeEnv::ReadAt(const std::string& path, std::uint64_t offset, std::size_t n,
                       std::string* out) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot open " + path + ": no such file");
  *out = offset >= it->second.size() ? std::string() : it->second.substr(offset, n);
  return Status::Ok();
}

Status FakeEnv::TruncateDurably(const std::string& path, std::uint64_t size) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot open " + path + ": no such file");
  it->second.resize(std::min<std::uint64_t>(size, it->second.size()));
  return Status::Ok();
}

Status FakeEnv::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return Status::IoError("cannot rename " + from + ": no such file");
  if (dirs_.count(Parent(to)) == 0)
    return Status::IoError("cannot rename to " + to + ": no folder");
  std::string contents = std::move(it->second);
  files_.erase(it);
  files_[to] = std::move(contents);
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

Result<std::unique_ptr<FileLock>> FakeEnv::LockFile(const std::string& lock_file,
                                                    const std::string& holder_kind) {
  std::lock_guard lock(mu_);
  if (!locks_.insert(lock_file).second) {
    return Status::Unavailable(Parent(lock_file) + " is in use by another " + holder_kind);
  }
  return std::unique_ptr<FileLock>(new FakeLock(&mu_, &locks_, lock_file));
}

std::chrono::steady_clock::time_point FakeEnv::SteadyNow() {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_));
}

std::chrono::system_clock::time_point FakeEnv::WallNow() {
  std::lock_guard lock(mu_);
  // 2024-02-19T08:16:30Z plus the elapsed time: segment names are deterministic.
  return std::chrono::system_clock::time_point(std::chrono::seconds(1708330590)) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed_);
}

}  // namespace botify::testing
