#include "base/file.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_support.h"

using namespace botify;
using namespace botify::testing;

TEST_CASE("ReadWholeFile returns every byte, including NULs", "[base][file]") {
  TempDir dir;
  const std::string bytes("a\0b\nc", 5);
  WriteFile(dir / "f", bytes);
  std::string out = "stale";
  REQUIRE(ReadWholeFile(dir / "f", &out).ok());
  CHECK(out == bytes);
}

TEST_CASE("ReadWholeFile of a missing file is an I/O error naming the file", "[base][file]") {
  TempDir dir;
  std::string out;
  const Status s = ReadWholeFile(dir / "missing.json", &out);
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message().find("missing.json") != std::string::npos);
}

TEST_CASE("WriteFileAtomically replaces the file and leaves no temporary", "[base][file]") {
  TempDir dir;
  WriteFile(dir / "f", "old contents, longer than the new");
  REQUIRE(WriteFileAtomically(dir / "f", "new\n").ok());
  CHECK(ReadFile(dir / "f") == "new\n");
  CHECK_FALSE(std::filesystem::exists(dir / "f.tmp"));
}

TEST_CASE("WriteFileAtomically into a missing folder fails, naming the file", "[base][file]") {
  TempDir dir;
  const Status s = WriteFileAtomically(dir / "no/such/f", "x");
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message().find("no/such/f.tmp") != std::string::npos);
}

TEST_CASE("CommitFile moves a finished temporary over the file", "[base][file]") {
  TempDir dir;
  WriteFile(dir / "f", "old");
  WriteFile(dir / "f.part", "new");
  REQUIRE(CommitFile(dir / "f.part", dir / "f").ok());
  CHECK(ReadFile(dir / "f") == "new");
  CHECK_FALSE(std::filesystem::exists(dir / "f.part"));
  CHECK_FALSE(CommitFile(dir / "f.part", dir / "f").ok());
}

TEST_CASE("WriteWholeFile truncates what was there", "[base][file]") {
  TempDir dir;
  WriteFile(dir / "f", "a longer old text");
  REQUIRE(WriteWholeFile(dir / "f", "short").ok());
  CHECK(ReadFile(dir / "f") == "short");
}
