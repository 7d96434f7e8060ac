// `botify ab` without any decision option prints the seminar's report byte for byte as it did
// before the decision section existed (docs/contracts.md §11): the golden files in
// tests/tools/golden/ were written by that earlier binary on logs from
// bench/ab_generate_log.py (deterministic from its seed), and every format is compared whole.
#include <catch2/catch.hpp>
#include <string>

#include "tests/test_support.h"
#include "tests/tools/ab_cli_support.h"

using botify::testing::ReadFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;

namespace {

using botify::testing::kSource;

void Generate(const std::string& out, const std::string& args) {
  botify::testing::GenerateAbLog(out, args);
}

// stdout of `botify ab --logs logs --experiment AB` plus `flags` (stderr dropped).
std::string Ab(const std::string& logs, const std::string& flags) {
  std::string out;
  int code = RunCommand({"/bin/sh", "-c",
                         std::string(BOTIFY_CLI_BINARY) + " ab --logs " + logs +
                             " --experiment AB " + flags + " 2>/dev/null"},
                        &out);
  REQUIRE(code == 0);
  return out;
}

std::string Golden(const std::string& name) {
  return ReadFile(kSource + "/tests/tools/golden/" + name);
}

}  // namespace

TEST_CASE("botify ab's default output is byte-identical to the seminar's golden files",
          "[tools][ab]") {
  TempDir dir;
  Generate(dir / "three", "--rows 12000 --users 500 --weights 50,50,50 --effect 0.15 --seed 11");
  for (const char* format : {"table", "json", "csv", "markdown"}) {
    INFO(format);
    CHECK(Ab(dir / "three", std::string("--format ") + format) ==
          Golden(std::string("ab_three_arms.") + format));
  }
  // The default format is the table.
  CHECK(Ab(dir / "three", "") == Golden("ab_three_arms.table"));

  Generate(dir / "skew", "--rows 6000 --users 1500 --weights 60,40 --seed 12");
  CHECK(Ab(dir / "skew", "") == Golden("ab_skewed.table"));
}
