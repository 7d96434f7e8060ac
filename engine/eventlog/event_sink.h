// Where the request path hands its event lines (docs/contracts.md §7): the seam between
// answering a request and logging it. The server's sink is the segment writer
// (engine/eventlog/event_log_writer.h); tests use an in-memory one
// (tests/memory_event_sink.h).
//
// The contract every sink keeps: a line handed to Append is logged (or, if it cannot be,
// counted as lost and said so), and while accepting() is false the caller answers 503
// rather than acknowledge a request it cannot log.
#pragma once

#include <string_view>

namespace botify::eventlog {

// Thread-safe: request threads call both methods concurrently, each with its own
// producer index.
class EventSink {
 public:
  virtual ~EventSink() = default;

  // False while the sink cannot take more lines (a backlog past its bound, its folder
  // held by another process). Cheap: called on every request.
  virtual bool accepting() const = 0;
  // Queues whole lines (each ending in '\n') from producer slot `producer` (in [0, the
  // producer count the sink was made for)). Never blocks on disk.
  virtual void Append(int producer, std::string_view lines) = 0;
};

}  // namespace botify::eventlog
