// The event-log line parsers (engine/eventlog/event.h): the fast SAX parser and the DOM
// reference must agree on every input. Whenever the fast parser accepts a line, the DOM
// parser accepts it with bit-identical fields; and ParseEvent (fast, then DOM on a
// decline) gives the DOM parser's verdict and fields. The parser and the Event are reused
// across inputs, as the log readers reuse them, so state left by one line must not leak
// into the next.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/eventlog/event.h"
#include "engine/eventlog/event_fast_parser.h"
#include "fuzz/fuzz_check.h"

namespace {

using botify::eventlog::Event;
using botify::fuzz::Check;

// Doubles compared bit for bit: the two parsers must produce the same value, not a close one.
bool Same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool SameEvent(const Event& a, const Event& b) {
  return a.kind == b.kind && a.timestamp_ms == b.timestamp_ms && a.user == b.user &&
         a.track == b.track && Same(a.time, b.time) && Same(a.latency, b.latency) &&
         a.recommendation == b.recommendation && a.experiments == b.experiments;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static botify::eventlog::FastEventParser fast;
  static Event reused;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const bool accepted = fast.Parse(line, &reused);
  const auto dom = botify::eventlog::ParseEventWithDom(line);
  if (accepted) {
    Check(dom.ok(), "the fast parser accepted a line the DOM parser rejects");
    Check(SameEvent(reused, *dom), "the fast and DOM parsers read different fields");
  }
  const auto event = botify::eventlog::ParseEvent(line);
  Check(event.ok() == dom.ok(), "ParseEvent and ParseEventWithDom disagree on the verdict");
  if (event.ok()) Check(SameEvent(*event, *dom), "ParseEvent and ParseEventWithDom disagree");
  if (!dom.ok()) Check(!dom.status().message().empty(), "a rejected line has no error message");
  return 0;
}
