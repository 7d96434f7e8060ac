// The event log (docs/contracts.md §7): request threads hand finished JSON lines to a background
// writer, which appends them to the active segment and seals segments by size and age.
//
// Layout under `dir` (engine/eventlog/log_layout.h; log_folder.h locks the folder):
//   active/  the one segment being written (never shipped)
//   sealed/  complete segments, never written again, named
//            events-<host>-s<seq>-<YYYYMMDDTHHMMSSZ>-<boot id>.jsonl
//            (engine/eventlog/segment_name.h: <seq> counts up across restarts,
//            segment_sequence.h, so names sort oldest first whatever the clock does)
// Sealing = flush, fsync, check the segment is still ours, rename into sealed/, fsync the
// directory. A segment left in active/ by a crash (or a seal that failed) is truncated
// to its last whole line and sealed at the next start.
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
// Someone else's hands on the folder: every flush interval the writer checks (one stat,
// on its own thread, never on a request's) that active/<segment> is still the file it
// writes. If it was removed or moved (rm -rf of the folder, a folder moved away), the
// lines written to it are counted in lost_events (stderr says which segment and how
// many), and the writer recreates the folder and logs on into a new segment. If another
// process holds the folder now at that path, accepting() is false (503, not ready) until
// the writer can take it again.
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
#include "engine/eventlog/event_sink.h"
#include "engine/eventlog/log_folder.h"
#include "engine/eventlog/segment_sequence.h"

namespace botify::eventlog {

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
  // Acknowledged events that are in no segment of this writer (the server then exits
  // non-zero and says so): lines written to a segment someone else removed or moved away
  // (counted when the writer notices), and at Stop, lines the disk never took.
  std::uint64_t lost_events = 0;
  std::uint64_t lost_bytes = 0;
  // Set by Stop(): closed segments left in active/ because their seal failed (the next
  // start seals them).
  std::uint64_t unsealed_segments = 0;
};

// Thread-safe. Each producer thread uses its own producer index, so appends from
// different threads never contend on one lock. Every wait and every time read goes through
// options.env, so a test's manual clock drives flushes, seals by age and timeouts.
class EventLogWriter final : public EventSink {
 public:
  static Result<std::unique_ptr<EventLogWriter>> Start(const EventLogOptions& options,
                                                       int producers);
  ~EventLogWriter() override;  // calls Stop()
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;

  // Queues whole lines (each ending in '\n'). Never blocks on disk.
  void Append(int producer, std::string_view lines) override;

  // Writes everything queued and seals the active segment. Safe to call again.
  void Stop();
  // Writes everything queued so far and seals the active segment (if not empty), and any
  // segment whose seal failed before; returns once that happened: the seal's error with
  // its cause (nothing written or sealed), or kUnavailable if `timeout` passed first. For
  // admin: ship a day's logs now.
  Status SealNow(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // False while more than max_queued_bytes wait to be written, or while another process
  // holds the log folder: the caller must not acknowledge a request it cannot log. Two
  // relaxed loads.
  bool accepting() const override {
    return queued_.load(std::memory_order_relaxed) < options_.max_queued_bytes &&
           !folder_taken_.load(std::memory_order_relaxed);
  }

  // Cheap (atomic loads only): safe on a request thread.
  EventLogWriterStats stats() const;
  const std::string& sealed_dir() const { return folder_->sealed_dir(); }

 private:
  struct alignas(64) Producer {
    Mutex mu;
    std::string pending GUARDED_BY(mu);
  };
  // A closed segment in active/ (its lines' bytes and count), waiting for its seal.
  struct Segment {
    std::string name;
    std::uint64_t bytes = 0;
    std::uint64_t events = 0;
  };

  EventLogWriter(EventLogOptions options, int producers, std::unique_ptr<LogFolder> folder);
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
  // Seals what is due: the segments whose seal failed before, then the open one.
  Status SealAll();
  Status SealSegment();
  Status SealClosed(const Segment& segment);
  bool SegmentDue() const;
  // "" while active/<segment> is the file the writer has open; else what happened to it.
  std::string SegmentGone();
  // Counts `segment`'s lines as lost and says so on stderr, with `what` happened to it.
  void LoseSegment(const Segment& segment, const std::string& what);
  // Makes the folder the writer's again after it was removed or replaced; sets or clears
  // folder_taken_.
  void RetakeFolder();
  // Waits kStopRetryPause on the Env clock (Stop has nothing to notify it of).
  void PauseBeforeRetry();

  EventLogOptions options_;
  Env* const env_;
  std::string boot_id_;
  std::vector<std::unique_ptr<Producer>> producers_;

  // Owned by the writer thread (and by Start before it, Stop after it joined):
  std::unique_ptr<LogFolder> folder_;     // locked for life: one writer per log folder
  std::unique_ptr<AppendableFile> file_;  // the active segment, or null
  FileId file_id_;                        // which file file_ is
  Segment active_;                        // file_'s name and what went into it
  std::vector<Segment> unsealed_;         // closed in active/, their seal failed
  std::chrono::steady_clock::time_point segment_opened_;
  std::unique_ptr<SegmentSequence> seq_;
  std::string carry_;  // lines that failed to write, retried first
  Status last_write_error_;
  std::chrono::steady_clock::time_point last_rescan_;
  bool warned_over_budget_ = false;  // warn once per crossing of the budget

  Mutex mu_;
  CondVar cv_;  // wakes the writer thread: stop_ or seal_requested_ set
  bool stop_ GUARDED_BY(mu_) = false;
  bool seal_requested_ GUARDED_BY(mu_) = false;
  std::uint64_t seals_done_ GUARDED_BY(mu_) = 0;  // counts completed SealNow requests
  Status seal_result_ GUARDED_BY(mu_);            // of the latest requested seal
  CondVar sealed_cv_;                             // wakes SealNow callers: seals_done_ grew
  std::thread thread_;

  std::atomic<std::uint64_t> events_{0}, bytes_{0}, sealed_{0}, errors_{0}, queued_{0};
  std::atomic<std::uint64_t> sealed_on_disk_{0};
  std::atomic<std::uint64_t> lost_events_{0}, lost_bytes_{0};
  std::atomic<std::uint64_t> unsealed_at_stop_{0};
  std::atomic<bool> folder_taken_{false};  // another process holds the folder at our path
};

}  // namespace botify::eventlog
