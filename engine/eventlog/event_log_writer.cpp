#include "engine/eventlog/event_log_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <utility>

#include "engine/eventlog/log_layout.h"
#include "engine/eventlog/segment_name.h"

namespace botify::eventlog {

namespace {

std::string LocalHostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "host";
  return buf;
}

// At shutdown a failing disk is retried for this many rounds, kStopRetryPause apart (on
// the Env clock), before giving up.
constexpr int kStopRetries = 100;
constexpr std::chrono::milliseconds kStopRetryPause{100};

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

EventLogWriter::EventLogWriter(EventLogOptions options, int producers,
                               std::unique_ptr<LogFolder> folder)
    : options_(std::move(options)), env_(options_.env), folder_(std::move(folder)) {
  options_.host = SegmentHost(options_.host.empty() ? LocalHostName() : options_.host);
  for (int i = 0; i < producers; ++i) producers_.push_back(std::make_unique<Producer>());
}

Result<std::unique_ptr<EventLogWriter>> EventLogWriter::Start(const EventLogOptions& options,
                                                              int producers) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (options.env == nullptr) return Status::InvalidArgument("event log: no Env");
  std::random_device rd;
  const std::string boot_id = fmt::format("{:08x}", rd());
  auto folder = LogFolder::Open(options.env, options.dir, std::string(kSealProbePrefix) + boot_id);
  if (!folder.ok()) return folder.status();
  std::unique_ptr<EventLogWriter> w(new EventLogWriter(options, producers, std::move(*folder)));
  w->boot_id_ = boot_id;
  Env* env = w->env_;
  BOTIFY_RETURN_IF_ERROR(w->RecoverActive());
  w->seq_ =
      std::make_unique<SegmentSequence>(env, options.dir, std::vector{w->folder_->sealed_dir()});
  BOTIFY_RETURN_IF_ERROR(w->seq_->Reserve());
  auto on_disk = DirBytes(env, w->folder_->sealed_dir());
  if (!on_disk.ok()) return on_disk.status();
  w->sealed_on_disk_ = *on_disk;
  w->last_rescan_ = env->SteadyNow();
  w->thread_ = std::thread([raw = w.get()] { raw->Run(); });
  return w;
}

// Seals what a crash left in active/: whole lines only (a torn last line is cut off).
Status EventLogWriter::RecoverActive() {
  auto files = env_->ListFiles(folder_->active_dir());
  if (!files.ok()) return files.status();
  for (const FileEntry& entry : *files) BOTIFY_RETURN_IF_ERROR(RecoverSegment(entry));
  return env_->SyncDir(folder_->sealed_dir());
}

Status EventLogWriter::RecoverSegment(const FileEntry& entry) {
  const std::string path = folder_->ActivePath(entry.name);
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
  BOTIFY_RETURN_IF_ERROR(env_->Rename(path, folder_->SealedPath(entry.name)));
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
      const auto deadline = env_->SteadyNow() + options_.flush_interval;
      while (!stop_ && !seal_requested_) {
        if (!env_->WaitUntil(cv_, mu_, deadline)) break;
      }
      stopping = stop_;
      seal = seal_requested_;
      seal_requested_ = false;
    }
    // Before writing: this round's lines must not go to a segment that is no longer ours.
    if (file_ != nullptr) {
      if (const std::string gone = SegmentGone(); !gone.empty()) {
        file_.reset();
        LoseSegment(std::exchange(active_, {}), gone);
        RetakeFolder();
      }
    }
    if (folder_taken_.load()) RetakeFolder();
    if (Drain(&batch)) {
      if (folder_taken_.load()) {
        carry_ = std::move(batch);  // nowhere of ours to write: kept for when there is
      } else if (Status s = WriteBatch(batch); !s.ok()) {
        last_write_error_ = s;
        errors_.fetch_add(1);
        fmt::print(stderr, "botify-server: event log: {} (will retry)\n", s.ToString());
      }
    }
    batch.clear();
    Status sealed;
    if (folder_taken_.load()) {
      sealed = Status::Unavailable(folder_->dir() + " is held by another process");
    } else if (!carry_.empty()) {
      sealed = last_write_error_.WithContext("nothing sealed, lines wait to be written");
    } else if (seal || stopping || SegmentDue()) {
      sealed = SealAll();
      if (!sealed.ok()) {
        errors_.fetch_add(1);
        fmt::print(stderr, "botify-server: event log: {}\n", sealed.ToString());
      }
    }
    if (seal) {
      MutexLock lock(mu_);
      seal_result_ = sealed;
      ++seals_done_;
      sealed_cv_.NotifyAll();
    }
    RescanSealedIfDue();
    if (stopping && carry_.empty()) break;
    if (stopping && ++stop_retries > kStopRetries) {
      lost_events_.fetch_add(CountLines(carry_));
      lost_bytes_.fetch_add(carry_.size());
      fmt::print(stderr,
                 "botify-server: event log: giving up after {} retries: {} answered "
                 "events ({} bytes) could not be written\n",
                 kStopRetries, CountLines(carry_), carry_.size());
      break;
    }
    if (stopping) PauseBeforeRetry();
  }
  unsealed_at_stop_.store(unsealed_.size() + (file_ != nullptr ? 1 : 0));
}

// Writes whole lines, sealing the segment whenever the next lines would take it past
// max_segment_bytes (a single line larger than the limit gets a segment of its own).
Status EventLogWriter::WriteBatch(const std::string& batch) {
  std::string_view rest = batch;
  while (!rest.empty()) {
    const std::size_t room =
        options_.max_segment_bytes - std::min(active_.bytes, options_.max_segment_bytes);
    if (rest.size() <= room) return WriteChunk(rest, &rest);
    std::size_t cut = rest.substr(0, room).rfind('\n');
    if (cut == std::string_view::npos && active_.bytes == 0) cut = rest.find('\n');
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
  const std::size_t lines = CountLines(written);
  active_.bytes += written.size();
  active_.events += lines;
  bytes_.fetch_add(written.size(), std::memory_order_relaxed);
  events_.fetch_add(lines, std::memory_order_relaxed);
  queued_.fetch_sub(written.size(), std::memory_order_relaxed);
}

Status EventLogWriter::OpenSegment() {
  if (!folder_->StillOurs()) {
    RetakeFolder();
    if (folder_taken_.load()) return Status::Unavailable(folder_->dir() + " is not ours");
  }
  auto seq = seq_->Next();
  if (!seq.ok()) return seq.status();
  const std::string name = FormatSegmentName(options_.host, *seq, env_->WallNow(), boot_id_);
  auto file = env_->OpenAppendable(folder_->ActivePath(name));
  if (!file.ok()) return file.status();
  auto id = (*file)->Id();
  if (!id.ok()) return id.status();
  file_ = std::move(*file);
  file_id_ = *id;
  active_ = {name, 0, 0};
  segment_opened_ = env_->SteadyNow();
  return Status::Ok();
}

bool EventLogWriter::SegmentDue() const {
  if (file_ == nullptr) return false;
  return active_.bytes >= options_.max_segment_bytes ||
         env_->SteadyNow() - segment_opened_ >= options_.max_segment_age;
}

std::string EventLogWriter::SegmentGone() {
  auto at = env_->IdOf(folder_->ActivePath(active_.name));
  if (at.ok() && *at == file_id_) return "";
  if (at.ok()) return "another file took its name: it was moved away or replaced";
  // Any failure other than "no such file" (say EACCES) cannot tell: assume it is there.
  if (at.status().code() != StatusCode::kNotFound) return "";
  return folder_->StillOurs() ? "it was removed" : "the log folder was removed or moved away";
}

void EventLogWriter::LoseSegment(const Segment& segment, const std::string& what) {
  lost_events_.fetch_add(segment.events);
  lost_bytes_.fetch_add(segment.bytes);
  errors_.fetch_add(1);
  fmt::print(stderr,
             "botify-server: ERROR: event log: segment {} is no longer in {} ({}): its {} "
             "answered events ({} bytes) are lost to this server's log\n",
             segment.name, folder_->active_dir(), what, segment.events, segment.bytes);
}

void EventLogWriter::RetakeFolder() {
  const bool was_ours = folder_->StillOurs();
  if (Status s = folder_->Retake(); !s.ok()) {
    if (!folder_taken_.exchange(true)) {
      fmt::print(stderr,
                 "botify-server: ERROR: event log: cannot take {} again ({}); answering 503 "
                 "until it can\n",
                 folder_->dir(), s.ToString());
    }
    return;
  }
  if (!was_ours) {
    fmt::print(stderr,
               "botify-server: event log: {} was removed or replaced; created and locked it "
               "again, logging on into it\n",
               folder_->dir());
    if (Status s = RecoverActive(); !s.ok()) {  // what a writer before us left there
      fmt::print(stderr, "botify-server: event log: {}\n", s.ToString());
    }
    seq_->Rebase({folder_->sealed_dir()});
    unsealed_.clear();  // they were in the old folder
  }
  if (folder_taken_.exchange(false)) {
    fmt::print(stderr, "botify-server: event log: {} is this server's again\n", folder_->dir());
  }
}

Status EventLogWriter::SealAll() {
  Status first;
  std::vector<Segment> retry;
  retry.swap(unsealed_);
  for (const Segment& segment : retry) {
    if (Status s = SealClosed(segment); !s.ok() && first.ok()) first = s;
  }
  if (file_ != nullptr) {
    if (Status s = SealSegment(); !s.ok() && first.ok()) first = s;
  }
  return first;
}

Status EventLogWriter::SealSegment() {
  if (file_ == nullptr) return Status::Ok();
  BOTIFY_RETURN_IF_ERROR(file_->Sync());
  // Never seal a file that is no longer ours: its name may now be someone else's.
  if (const std::string gone = SegmentGone(); !gone.empty()) {
    file_.reset();
    const Segment lost = std::exchange(active_, {});
    LoseSegment(lost, gone);
    RetakeFolder();
    return Status::IoError("segment " + lost.name + " was not sealed: " + gone);
  }
  file_.reset();
  return SealClosed(std::exchange(active_, {}));
}

// Renames a closed, synced segment into sealed/. On failure it stays in active/ and is
// retried at the next seal (or sealed by the next start).
Status EventLogWriter::SealClosed(const Segment& segment) {
  const std::string from = folder_->ActivePath(segment.name);
  if (Status s = env_->Rename(from, folder_->SealedPath(segment.name)); !s.ok()) {
    if (env_->IdOf(from).status().code() == StatusCode::kNotFound) {
      LoseSegment(segment, "it was removed before it was sealed");
      return Status::IoError("segment " + segment.name + " was not sealed: it was removed");
    }
    unsealed_.push_back(segment);
    return s.WithContext("segment " + segment.name + " was not sealed, it stays in " +
                         folder_->active_dir() + " until a seal or a start succeeds");
  }
  sealed_.fetch_add(1);
  const std::uint64_t on_disk = sealed_on_disk_.fetch_add(segment.bytes) + segment.bytes;
  WarnIfOverBudget(on_disk);
  return env_->SyncDir(folder_->sealed_dir());
}

// The shipper removes sealed segments behind the writer's back: re-read the folder's
// size now and then, so that the metric and the warning follow it down again.
void EventLogWriter::RescanSealedIfDue() {
  const auto now = env_->SteadyNow();
  if (now - last_rescan_ < options_.sealed_rescan_interval) return;
  last_rescan_ = now;
  auto on_disk = DirBytes(env_, folder_->sealed_dir());
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
               folder_->sealed_dir(), on_disk, options_.disk_budget_bytes);
  }
  if (!over && warned_over_budget_) {
    fmt::print(stderr, "botify-server: {} is back under its budget ({} of {} bytes)\n",
               folder_->sealed_dir(), on_disk, options_.disk_budget_bytes);
  }
  warned_over_budget_ = over;
}

void EventLogWriter::PauseBeforeRetry() {
  MutexLock lock(mu_);
  const auto until = env_->SteadyNow() + kStopRetryPause;
  while (env_->WaitUntil(cv_, mu_, until)) {
  }
}

Status EventLogWriter::SealNow(std::chrono::milliseconds timeout) {
  MutexLock lock(mu_);
  const auto deadline = env_->SteadyNow() + timeout;
  const std::uint64_t target = seals_done_ + 1;
  seal_requested_ = true;
  cv_.NotifyOne();
  while (seals_done_ < target && !stop_) {
    if (!env_->WaitUntil(sealed_cv_, mu_, deadline)) break;
  }
  if (seals_done_ >= target) return seal_result_;
  if (stop_) return Status::Ok();  // the stop seals everything (and reports a failure)
  return Status::Unavailable(
      fmt::format("the log writer did not seal within {} ms", timeout.count()));
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
  s.unsealed_segments = unsealed_at_stop_.load();
  return s;
}

}  // namespace botify::eventlog
