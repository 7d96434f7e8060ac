// Appending numbers to strings on hot paths (event lines, HTTP responses) with
// std::to_chars: no format-string parsing, no locale, no allocation beyond growing *out.
#pragma once

#include <charconv>
#include <concepts>
#include <string>

namespace botify {

template <std::integral T>
void AppendInt(std::string* out, T value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, r.ptr);
}

// Shortest representation that round-trips (like Python's repr): 0.1 -> "0.1".
inline void AppendDouble(std::string* out, double value) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, r.ptr);
}

}  // namespace botify
