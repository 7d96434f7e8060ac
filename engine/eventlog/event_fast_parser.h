// A fast, allocation-free (after warm-up) parser for event-log lines (docs/contracts.md §7).
//
// It drives Boost.JSON's SAX `basic_parser` straight into an `Event` instead of building
// a DOM object per line, so numbers are parsed by the very same code as `ParseEvent`'s
// DOM path. Contract: whenever Parse() returns true, *event holds exactly what the DOM
// path (`ParseEventWithDom`) would return for that line. On anything it is not sure
// about — any error, a duplicate key, an unexpected type — it returns false and the
// caller falls back to the DOM path, which produces the error message.
#pragma once

#include <memory>
#include <string_view>

#include "engine/eventlog/event.h"

namespace botify::eventlog {

// Thread-compatible: give each thread its own parser. Not copyable.
class FastEventParser {
 public:
  FastEventParser();
  ~FastEventParser();
  FastEventParser(const FastEventParser&) = delete;
  FastEventParser& operator=(const FastEventParser&) = delete;

  // Parses `line` into *event, reusing event's storage (experiments vector and strings).
  // Returns false (and leaves *event unspecified) if the line is not a valid event or
  // the fast path declines it; then use ParseEventWithDom for the verdict.
  bool Parse(std::string_view line, Event* event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace botify::eventlog
