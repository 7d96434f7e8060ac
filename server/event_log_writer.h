// The event log (docs/contracts.md §7): request threads hand finished JSON lines to a background
// writer, which appends them to the active segment and seals segments by size and age.
//
// Layout under `dir`:
//   active/  the one segment being written (never shipped)
//   sealed/  complete segments, never written again:
//            events-<host>-<YYYYMMDDTHHMMSSZ>-<boot id>-<seq>.jsonl (names sort oldest first)
// Sealing = flush, fsync, rename into sealed/, fsync the directory. A segment left in
// active/ by a crash is truncated to its last whole line and sealed at the next start.
//
// Durability: a request's line is in memory when its response is sent and on disk within
// flush_interval; SIGTERM (Stop) writes everything; SIGKILL can lose at most the lines of
// the last flush interval. A failing disk never drops lines: they stay queued and the
// writer retries (and counts the failures).
//
// Queue policy (max_queued_bytes): past the bound the server sheds new requests with 503
// (accepting() is false, /readyz says not ready) until the disk takes the backlog; lines
// of requests already answered are never dropped while the process runs. At Stop they
// are retried for 10 s; what still cannot be written is counted in lost_events and the
// server exits non-zero saying so.
//
// Files and clocks go through `Env` (base/env.h) so that tests can fail writes, fill the
// disk, delete sealed segments (as the shipper does) and move time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/env.h"
#include "base/mutex.h"
#include "base/status.h"

namespace botify::server {

struct EventLogOptions {
  // Root folder of the log; created if missing. Empty disables logging.
  std::string dir;
  // Seal the active segment once it reaches this many bytes (the original used 100 MiB).
  std::uint64_t max_segment_bytes = 100ull << 20;
  // ... or once it is this old (and not empty).
  std::chrono::seconds max_segment_age{3600};
  // How often queued lines are written; bounds what a SIGKILL can lose.
  std::chrono::milliseconds flush_interval{20};
  // Host name in segment names; defaults to gethostname().
  std::string host;
  // Warn (stderr + metric) when sealed/ holds more than this many bytes. 0 = no budget.
  std::uint64_t disk_budget_bytes = 0;
  // Past this many bytes handed over but not yet on disk (a full or failing disk), the
  // writer stops accepting (accepting() is false: the server answers 503 and is not
  // ready) until it catches up. Bounds the memory unwritten lines take (~180 bytes a
  // request) and keeps the promise that an acknowledged request is logged.
  std::uint64_t max_queued_bytes = 64ull << 20;
  // How often the writer re-reads the size of sealed/ (the shipper deletes segments
  // behind it). Keeps sealed_bytes_on_disk and the budget warning true without /metrics
  // touching the disk.
  std::chrono::milliseconds sealed_rescan_interval{1000};
  // Files and clocks; tests pass a fake. Not owned; must outlive the writer.
  Env* env = Env::Default();

  Status Validate() const;
};

struct EventLogWriterStats {
  std::uint64_t events = 0;  // lines written to disk
  std::uint64_t bytes = 0;   // bytes written to disk
  std::uint64_t segments_sealed = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t queued_bytes = 0;  // handed over, not yet on disk
  // Bytes in sealed/ as of the writer's last seal or rescan (at most
  // sealed_rescan_interval old). Read from memory: cheap, never touches the disk.
  std::uint64_t sealed_bytes_on_disk = 0;
  bool over_budget = false;  // sealed_bytes_on_disk > disk_budget_bytes (if set)
  // Set by Stop() when the disk never took them: acknowledged events that are not in
  // any segment (the server then exits non-zero and says so).
  std::uint64_t lost_events = 0;
  std::uint64_t lost_bytes = 0;
};

// Thread-safe. Each producer thread uses its own producer index, so appends from
// different threads never contend on one lock.
class EventLogWriter {
 public:
  static Result<std::unique_ptr<EventLogWriter>> Start(const EventLogOptions& options,
                                                       int producers);
  ~EventLogWriter();  // calls Stop()
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;

  // Queues whole lines (each ending in '\n'). Never blocks on disk.
  void Append(int producer, std::string_view lines);

  // Writes everything queued and seals the active segment. Safe to call again.
  void Stop();
  // Writes everything queued so far and seals the active segment (if not empty); returns
  // once that happened or `timeout` passed (false). For admin: ship a day's logs now.
  bool SealNow(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // False while more than max_queued_bytes wait to be written: the caller must not
  // acknowledge a request it cannot log. One relaxed load.
  bool accepting() const {
    return queued_.load(std::memory_order_relaxed) < options_.max_queued_bytes;
  }

  // Cheap (atomic loads only): safe on a request thread.
  EventLogWriterStats stats() const;
  const std::string& sealed_dir() const { return sealed_dir_; }

 private:
  struct alignas(64) Producer {
    Mutex mu;
    std::string pending GUARDED_BY(mu);
  };

  explicit EventLogWriter(EventLogOptions options, int producers);
  Status RecoverActive();
  void Run();
  bool Drain(std::string* batch);
  Status WriteBatch(const std::string& batch);
  Status WriteChunk(std::string_view chunk, std::string_view* rest);
  Status RecoverSegment(const FileEntry& entry);
  void RescanSealedIfDue();
  void WarnIfOverBudget(std::uint64_t on_disk);
  void CountWritten(std::string_view written);
  Status OpenSegment();
  Status SealSegment();
  bool SegmentDue() const;

  EventLogOptions options_;
  Env* const env_;
  std::unique_ptr<FileLock> dir_lock_;  // held for life: one writer per log folder
  std::string active_dir_, sealed_dir_;
  std::string boot_id_;
  std::vector<std::unique_ptr<Producer>> producers_;

  // Owned by the writer thread (and Stop after the thread joined):
  std::unique_ptr<AppendableFile> file_;  // the active segment, or null
  std::string active_name_;
  std::uint64_t segment_bytes_ = 0;
  std::chrono::steady_clock::time_point segment_opened_;
  std::uint64_t seq_ = 0;
  std::string carry_;  // lines that failed to write, retried first
  std::chrono::steady_clock::time_point last_rescan_;
  bool warned_over_budget_ = false;  // warn once per crossing of the budget

  Mutex mu_;
  CondVar cv_;  // wakes the writer thread: stop_ or seal_requested_ set
  bool stop_ GUARDED_BY(mu_) = false;
  bool seal_requested_ GUARDED_BY(mu_) = false;
  std::uint64_t seals_done_ GUARDED_BY(mu_) = 0;  // counts completed SealNow requests
  CondVar sealed_cv_;                             // wakes SealNow callers: seals_done_ grew
  std::thread thread_;

  std::atomic<std::uint64_t> events_{0}, bytes_{0}, sealed_{0}, errors_{0}, queued_{0};
  std::atomic<std::uint64_t> sealed_on_disk_{0};
  std::atomic<std::uint64_t> lost_events_{0}, lost_bytes_{0};  // set once, by a Stop() that gave up
};

}  // namespace botify::server
