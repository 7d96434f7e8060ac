#include "server/event_log_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>

namespace botify::server {

namespace fs = std::filesystem;

namespace {

// Host names go into file names split on '-', so only [A-Za-z0-9._] survive.
std::string SanitizeHost(std::string host) {
  for (char& c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  return host.empty() ? "host" : host;
}

std::string LocalHostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "host";
  return buf;
}

std::string UtcStamp(std::chrono::system_clock::time_point at) {
  const std::time_t now = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// At shutdown a failing disk is retried for this many 100 ms rounds before giving up.
constexpr int kStopRetries = 100;

// How far back recovery reads at a time when looking for the last whole line.
constexpr std::size_t kRecoveryChunk = 64 << 10;

Result<std::uint64_t> DirBytes(Env* env, const std::string& dir) {
  auto files = env->ListFiles(dir);
  if (!files.ok()) return files.status();
  std::uint64_t total = 0;
  for (const FileEntry& f : *files) total += f.size;
  return total;
}

}  // namespace

Status EventLogOptions::Validate() const {
  if (max_segment_bytes < 1024) return Status::InvalidArgument("log segment size must be >= 1 KiB");
  if (max_segment_age.count() < 1) return Status::InvalidArgument("log segment age must be >= 1 s");
  if (flush_interval.count() < 1)
    return Status::InvalidArgument("log flush interval must be >= 1 ms");
  if (max_queued_bytes < 4096) return Status::InvalidArgument("log queue bound must be >= 4 KiB");
  return Status::Ok();
}

EventLogWriter::EventLogWriter(EventLogOptions options, int producers)
    : options_(std::move(options)), env_(options_.env) {
  options_.host = SanitizeHost(options_.host.empty() ? LocalHostName() : options_.host);
  active_dir_ = (fs::path(options_.dir) / "active").string();
  sealed_dir_ = (fs::path(options_.dir) / "sealed").string();
  std::random_device rd;
  boot_id_ = fmt::format("{:08x}", rd());
  for (int i = 0; i < producers; ++i) producers_.push_back(std::make_unique<Producer>());
}

Result<std::unique_ptr<EventLogWriter>> EventLogWriter::Start(const EventLogOptions& options,
                                                              int producers) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.env == nullptr) return Status::InvalidArgument("event log: no Env");
  std::unique_ptr<EventLogWriter> w(new EventLogWriter(options, producers));
  Env* env = w->env_;
  BOTIFY_RETURN_IF_ERROR(env->CreateDirs(w->active_dir_));
  BOTIFY_RETURN_IF_ERROR(env->CreateDirs(w->sealed_dir_));
  // Before recovery: a second server on this folder would otherwise seal the live
  // server's active segment under it.
  auto lock =
      env->LockFile((fs::path(options.dir) / ".botify-writer.lock").string(), "botify-server");
  if (!lock.ok()) return lock.status();
  w->dir_lock_ = std::move(*lock);
  BOTIFY_RETURN_IF_ERROR(w->RecoverActive());
  auto on_disk = DirBytes(env, w->sealed_dir_);
  if (!on_disk.ok()) return on_disk.status();
  w->sealed_on_disk_ = *on_disk;
  w->last_rescan_ = env->SteadyNow();
  w->thread_ = std::thread([raw = w.get()] { raw->Run(); });
  return w;
}

// Seals what a crash left in active/: whole lines only (a torn last line is cut off).
Status EventLogWriter::RecoverActive() {
  auto files = env_->ListFiles(active_dir_);
  if (!files.ok()) return files.status();
  for (const FileEntry& entry : *files) BOTIFY_RETURN_IF_ERROR(RecoverSegment(entry));
  return env_->SyncDir(sealed_dir_);
}

Status EventLogWriter::RecoverSegment(const FileEntry& entry) {
  const std::string path = (fs::path(active_dir_) / entry.name).string();
  // The end of the last whole line: read backwards a chunk at a time.
  std::uint64_t keep = entry.size;
  std::string chunk;
  while (keep > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(keep, kRecoveryChunk));
    BOTIFY_RETURN_IF_ERROR(env_->ReadAt(path, keep - n, n, &chunk));
    if (chunk.size() != n) return Status::IoError(path + ": changed size during recovery");
    const std::size_t nl = chunk.rfind('\n');
    if (nl != std::string::npos) {
      keep = keep - n + nl + 1;
      break;
    }
    keep -= n;
  }
  if (keep == 0) return env_->Remove(path);
  // Also when nothing is cut: what the crashed writer had not synced is synced now.
  BOTIFY_RETURN_IF_ERROR(env_->TruncateDurably(path, keep));
  BOTIFY_RETURN_IF_ERROR(env_->Rename(path, (fs::path(sealed_dir_) / entry.name).string()));
  sealed_.fetch_add(1);
  return Status::Ok();
}

EventLogWriter::~EventLogWriter() { Stop(); }

void EventLogWriter::Append(int producer, std::string_view lines) {
  Producer& p = *producers_[producer];
  // Counted before the lines become visible to the writer, so its subtraction can never
  // run first: queued_ would wrap below zero and accepting() would shed a request.
  queued_.fetch_add(lines.size(), std::memory_order_relaxed);
  MutexLock lock(p.mu);
  p.pending.append(lines);
}

bool EventLogWriter::Drain(std::string* batch) {
  batch->swap(carry_);
  carry_.clear();
  std::string taken;
  for (auto& p : producers_) {
    {
      MutexLock lock(p->mu);
      taken.swap(p->pending);
    }
    batch->append(taken);
    taken.clear();
  }
  return !batch->empty();
}

namespace {
std::size_t CountLines(std::string_view text);
}  // namespace

void EventLogWriter::Run() {
  std::string batch;
  int stop_retries = 0;
  while (true) {
    bool stopping, seal;
    {
      MutexLock lock(mu_);
      const auto deadline = std::chrono::steady_clock::now() + options_.flush_interval;
      while (!stop_ && !seal_requested_) {
        if (!cv_.WaitUntil(mu_, deadline)) break;
      }
      stopping = stop_;
      seal = seal_requested_;
      seal_requested_ = false;
    }
    if (Drain(&batch)) {
      Status s = WriteBatch(batch);
      if (!s.ok()) {
        errors_.fetch_add(1);
        fmt::print(stderr, "botify-server: event log: {} (will retry)\n", s.ToString());
      }
    }
    batch.clear();
    if ((seal || stopping || SegmentDue()) && file_ != nullptr && carry_.empty()) {
      Status s = SealSegment();
      if (!s.ok()) {
        errors_.fetch_add(1);
        fmt::print(stderr, "botify-server: event log: {}\n", s.ToString());
      }
    }
    if (seal && carry_.empty()) {
      MutexLock lock(mu_);
      ++seals_done_;
      sealed_cv_.NotifyAll();
    }
    RescanSealedIfDue();
    if (stopping && carry_.empty()) return;
    if (stopping && ++stop_retries > kStopRetries) {
      lost_events_.store(CountLines(carry_));
      lost_bytes_.store(carry_.size());
      fmt::print(stderr,
                 "botify-server: event log: giving up after {} retries: {} answered "
                 "events ({} bytes) could not be written\n",
                 kStopRetries, lost_events_.load(), carry_.size());
      return;
    }
    if (stopping) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Writes whole lines, sealing the segment whenever the next lines would take it past
// max_segment_bytes (a single line larger than the limit gets a segment of its own).
Status EventLogWriter::WriteBatch(const std::string& batch) {
  std::string_view rest = batch;
  while (!rest.empty()) {
    const std::size_t room =
        options_.max_segment_bytes - std::min(segment_bytes_, options_.max_segment_bytes);
    if (rest.size() <= room) return WriteChunk(rest, &rest);
    std::size_t cut = rest.substr(0, room).rfind('\n');
    if (cut == std::string_view::npos && segment_bytes_ == 0) cut = rest.find('\n');
    if (cut != std::string_view::npos) {
      BOTIFY_RETURN_IF_ERROR(WriteChunk(rest.substr(0, cut + 1), &rest));
    }
    if (Status s = SealSegment(); !s.ok()) {
      carry_.assign(rest);
      return s;
    }
  }
  return Status::Ok();
}

// Appends `chunk` (a prefix of *rest) to the active segment, opening one if needed, and
// advances *rest past what was written. On failure the unwritten remainder of *rest is
// kept in carry_ for the next round.
Status EventLogWriter::WriteChunk(std::string_view chunk, std::string_view* rest) {
  if (file_ == nullptr) {
    if (Status s = OpenSegment(); !s.ok()) {
      carry_.assign(*rest);
      return s;
    }
  }
  std::size_t done = 0;
  while (done < chunk.size()) {
    auto n = file_->Append(chunk.substr(done));
    if (!n.ok()) {
      CountWritten(chunk.substr(0, done));
      carry_.assign(rest->substr(done));  // the rest goes to the same segment on retry
      return n.status();
    }
    done += *n;
  }
  CountWritten(chunk);
  rest->remove_prefix(chunk.size());
  return Status::Ok();
}

namespace {

// Lines in `text`. memchr jumps a whole event line (~130 bytes) per call with vector
// loads; std::count at -O2 compares byte by byte (callgrind: ~1,200 instructions an event).
std::size_t CountLines(std::string_view text) {
  std::size_t lines = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    ++lines;
    p = static_cast<const char*>(nl) + 1;
  }
  return lines;
}

}  // namespace

void EventLogWriter::CountWritten(std::string_view written) {
  segment_bytes_ += written.size();
  bytes_.fetch_add(written.size(), std::memory_order_relaxed);
  events_.fetch_add(CountLines(written), std::memory_order_relaxed);
  queued_.fetch_sub(written.size(), std::memory_order_relaxed);
}

Status EventLogWriter::OpenSegment() {
  active_name_ = fmt::format("events-{}-{}-{}-{:06}.jsonl", options_.host,
                             UtcStamp(env_->WallNow()), boot_id_, seq_);
  auto file = env_->OpenAppendable((fs::path(active_dir_) / active_name_).string());
  if (!file.ok()) return file.status();
  file_ = std::move(*file);
  ++seq_;
  segment_bytes_ = 0;
  segment_opened_ = env_->SteadyNow();
  return Status::Ok();
}

bool EventLogWriter::SegmentDue() const {
  if (file_ == nullptr) return false;
  return segment_bytes_ >= options_.max_segment_bytes ||
         env_->SteadyNow() - segment_opened_ >= options_.max_segment_age;
}

Status EventLogWriter::SealSegment() {
  BOTIFY_RETURN_IF_ERROR(file_->Sync());
  file_.reset();
  // From here on a failure leaves a closed, synced segment in active/: the next start
  // seals it (RecoverActive); this run writes on into a new one.
  BOTIFY_RETURN_IF_ERROR(env_->Rename((fs::path(active_dir_) / active_name_).string(),
                                      (fs::path(sealed_dir_) / active_name_).string()));
  BOTIFY_RETURN_IF_ERROR(env_->SyncDir(sealed_dir_));
  sealed_.fetch_add(1);
  const std::uint64_t on_disk = sealed_on_disk_.fetch_add(segment_bytes_) + segment_bytes_;
  segment_bytes_ = 0;
  WarnIfOverBudget(on_disk);
  return Status::Ok();
}

// The shipper removes sealed segments behind the writer's back: re-read the folder's
// size now and then, so that the metric and the warning follow it down again.
void EventLogWriter::RescanSealedIfDue() {
  const auto now = env_->SteadyNow();
  if (now - last_rescan_ < options_.sealed_rescan_interval) return;
  last_rescan_ = now;
  auto on_disk = DirBytes(env_, sealed_dir_);
  if (!on_disk.ok()) return;  // keep the last figure; the next rescan tries again
  sealed_on_disk_.store(*on_disk);
  WarnIfOverBudget(*on_disk);
}

void EventLogWriter::WarnIfOverBudget(std::uint64_t on_disk) {
  const bool over = options_.disk_budget_bytes > 0 && on_disk > options_.disk_budget_bytes;
  if (over && !warned_over_budget_) {
    fmt::print(stderr,
               "botify-server: WARNING: {} holds {} bytes of unshipped segments, over the "
               "budget of {} bytes; run `botify logs ship`\n",
               sealed_dir_, on_disk, options_.disk_budget_bytes);
  }
  if (!over && warned_over_budget_) {
    fmt::print(stderr, "botify-server: {} is back under its budget ({} of {} bytes)\n", sealed_dir_,
               on_disk, options_.disk_budget_bytes);
  }
  warned_over_budget_ = over;
}

bool EventLogWriter::SealNow(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(mu_);
  const std::uint64_t target = seals_done_ + 1;
  seal_requested_ = true;
  cv_.NotifyOne();
  while (seals_done_ < target && !stop_) {
    if (!sealed_cv_.WaitUntil(mu_, deadline)) break;
  }
  return seals_done_ >= target || stop_;
}

void EventLogWriter::Stop() {
  {
    MutexLock lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
    cv_.NotifyOne();
  }
  if (thread_.joinable()) thread_.join();
}

EventLogWriterStats EventLogWriter::stats() const {
  EventLogWriterStats s;
  s.events = events_.load();
  s.bytes = bytes_.load();
  s.segments_sealed = sealed_.load();
  s.write_errors = errors_.load();
  s.queued_bytes = queued_.load();
  s.sealed_bytes_on_disk = sealed_on_disk_.load();
  s.over_budget =
      options_.disk_budget_bytes > 0 && s.sealed_bytes_on_disk > options_.disk_budget_bytes;
  s.lost_events = lost_events_.load();
  s.lost_bytes = lost_bytes_.load();
  return s;
}

}  // namespace botify::server
