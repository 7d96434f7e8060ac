// Reads event logs (docs/contracts.md §7 lines) for the trainers and the A/B analyzer: a single
// file or a folder of any nesting, streaming one Event at a time to a callback. Memory is bounded
// by the longest line: nothing is loaded that the caller does not keep.
//
// Files: a path that is a regular file is read whatever its name. Under a folder, every
// regular file whose name ends in .jsonl, .json or .log, optionally followed by .gz, is
// read; names starting with '.' (files or folders) are skipped, so in-progress temporary
// files of a shipper are never read. Files are read in byte order of their paths relative
// to the folder ("a/x.jsonl" < "b.jsonl"), lines in file order: the callback order is
// deterministic. Gzip is detected from the content (base/line_reader.h).
//
// Lines: blank (whitespace-only) lines are ignored and counted apart. A line that is not
// a valid event is handled by BadLinePolicy, and so is a gzip file cut mid-stream (its
// lines before the cut are read, the cut line is not; "file: truncated gzip stream").
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include "base/status.h"
#include "engine/eventlog/event.h"

namespace botify::eventlog {

enum class BadLinePolicy {
  kSkip,    // count it, remember the first few (file:line: reason), go on
  kStrict,  // the first bad line (or truncated file) ends the read with InvalidArgument
            // "file:line: reason"
};

struct EventLogReaderOptions {
  // What to do with a malformed line. Default: skip and count.
  BadLinePolicy bad_lines = BadLinePolicy::kSkip;
  // How many bad lines (kSkip) are kept verbatim in EventLogStats::bad_line_reports.
  // Default 5; bounded to keep memory small on a log that is garbage throughout.
  std::size_t max_reported_bad_lines = 5;

  Status Validate() const;
};

// Counters of one reader, accumulated over every Read call. Thread-compatible.
struct EventLogStats {
  std::size_t files = 0;            // files opened and read to the end
  std::size_t rows = 0;             // events delivered to the callback
  std::size_t bad_lines = 0;        // malformed lines (skipped under kSkip)
  std::size_t blank_lines = 0;      // whitespace-only lines, ignored
  std::size_t truncated_files = 0;  // gzip files cut mid-stream (read up to the cut)
  // "path:line: reason" for the first max_reported_bad_lines bad lines and truncated files.
  std::vector<std::string> bad_line_reports;

  // One line for humans: "3 files, 1000 rows, 2 bad lines skipped".
  std::string Summary() const;
};

// The event-log files under `path` in reading order (see above), or just `path` if it is
// a regular file. NotFound if `path` does not exist; an empty folder gives an empty list.
Result<std::vector<std::string>> ListEventLogFiles(const std::string& path);

// Streams events. Thread-compatible: one reader per thread. Not copyable.
class EventLogReader {
 public:
  // Called once per valid row, in file order then line order. The Event is reused:
  // it is valid only during the call. An error stops the read: Read and ReadFile return
  // it, prefixed with the row's "file:line". (A consumer with an Add method is fed by
  // ReadInto, engine/eventlog/event_consumer.h.)
  using EventCallback = std::function<Status(const Event&)>;
  // Called after each file is read to the end, e.g. for progress on stderr.
  using FileDoneCallback = std::function<void(const std::string& path, const EventLogStats&)>;

  explicit EventLogReader(EventLogReaderOptions options = {});
  ~EventLogReader();
  EventLogReader(const EventLogReader&) = delete;
  EventLogReader& operator=(const EventLogReader&) = delete;

  void set_on_file_done(FileDoneCallback cb) { on_file_done_ = std::move(cb); }

  // Reads every file of ListEventLogFiles(path). Returns the first I/O error or, under
  // kStrict, the first bad line. An empty folder is OK with stats().files == 0.
  Status Read(const std::string& path, const EventCallback& on_event);
  // Reads one file whatever its name.
  Status ReadFile(const std::string& file, const EventCallback& on_event);
  // The same for a callback that cannot fail (returns void): every row reaches it.
  template <class F>
  requires std::is_void_v<std::invoke_result_t<F&, const Event&>> Status
  Read(const std::string& path, F&& on_event) {
    return Read(path, EventCallback(Infallible<F>{on_event}));
  }
  template <class F>
  requires std::is_void_v<std::invoke_result_t<F&, const Event&>> Status
  ReadFile(const std::string& file, F&& on_event) {
    return ReadFile(file, EventCallback(Infallible<F>{on_event}));
  }

  const EventLogStats& stats() const { return stats_; }

 private:
  template <class F>
  struct Infallible {
    F& f;
    Status operator()(const Event& e) const {
      f(e);
      return Status::Ok();
    }
  };
  // The fast parser declined `line`: the DOM parser gives the verdict. A valid line
  // (e.g. one with duplicate keys) goes to event_ and sets *valid; a bad one follows
  // the policy, with the DOM parser's reason.
  Status ParseDeclined(const std::string& where, std::string_view line, bool* valid);
  // Applies the policy to a bad line or file: kStrict fails, kSkip counts in *counter.
  Status HandleBad(std::string report, std::size_t* counter);

  EventLogReaderOptions options_;
  FileDoneCallback on_file_done_;
  EventLogStats stats_;
  Event event_;  // reused across rows to avoid allocation per line
};

}  // namespace botify::eventlog
