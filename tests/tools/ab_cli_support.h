// Helpers for the tests of the `botify ab` CLI: generated logs (bench/ab_generate_log.py),
// the real binary, and the Python references in tests/tools/.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "tests/test_support.h"

namespace botify::testing {

// Debian's interpreter, which has python3-numpy and python3-pandas (a `python3` earlier on
// PATH, e.g. a pyenv shim, may not).
inline const std::string kPython = "/usr/bin/python3";
inline const std::string kSource = BOTIFY_SOURCE_DIR;

// Runs `command` in sh; returns stdout alone (stderr goes to `stderr_path`).
inline std::string Stdout(const std::string& command, const std::string& stderr_path, int* code) {
  std::string out;
  *code = RunCommand({"/bin/sh", "-c", command + " 2>" + stderr_path}, &out);
  return out;
}

// bench/ab_generate_log.py --out `out` `args`; fails the test if it fails.
inline void GenerateAbLog(const std::string& out, const std::string& args) {
  std::string output;
  int code =
      RunCommand({"/bin/sh", "-c",
                  kPython + " " + kSource + "/bench/ab_generate_log.py --out " + out + " " + args},
                 &output);
  INFO(output);
  REQUIRE(code == 0);
}

// `command` must exit 0 and print one JSON object on stdout.
inline boost::json::object RunJson(const std::string& command, const std::string& stderr_path) {
  int code = 0;
  std::string out = Stdout(command, stderr_path, &code);
  INFO(command << "\n" << out << ReadFile(stderr_path));
  REQUIRE(code == 0);
  return boost::json::parse(out).as_object();
}

inline double JsonNum(const boost::json::value& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.to_number<double>();
}

// Relative 1e-9 against `scale` (the magnitude the value is read against).
inline void CheckClose(const char* what, double ours, double theirs, double scale) {
  INFO(what << ": botify " << ours << ", reference " << theirs);
  if (std::isnan(theirs)) {
    CHECK(std::isnan(ours));
  } else {
    CHECK(std::abs(ours - theirs) <= 1e-9 * std::max(std::abs(scale), 1e-300));
  }
}

}  // namespace botify::testing
