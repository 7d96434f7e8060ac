// The one way a fuzz target reports a broken property: a message on stderr, then abort(),
// which libFuzzer records as a crash and saves the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace botify::fuzz {

// Aborts with "fuzz check failed: <what>" unless `ok`.
inline void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

}  // namespace botify::fuzz
