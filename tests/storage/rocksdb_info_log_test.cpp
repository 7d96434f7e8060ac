// The RocksDB diagnostic log botify writes instead of RocksDB (storage/rocksdb_info_log.h):
// a write that fails (a full disk) is dropped and counted, never an abort, and the file is
// bounded by rotation.
#include "storage/rocksdb_info_log.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_support.h"

using namespace botify;
using botify::storage::InfoLog;
using botify::storage::InfoLogOptions;
namespace fs = std::filesystem;

namespace {

// Logs one line through RocksDB's printf-style entry point.
void Log(InfoLog& log, const char* text) {
  rocksdb::Log(rocksdb::InfoLogLevel::INFO_LEVEL, &log, "%s", text);
}

}  // namespace

TEST_CASE("a log line the disk does not take is dropped and counted, never fatal",
          "[storage][info_log]") {
  InfoLogOptions options;
  options.path = "/dev/full";  // every write fails with ENOSPC
  InfoLog log(options);
  for (int i = 0; i < 100; ++i) Log(log, "compaction started");
  CHECK(log.dropped_lines() == 100);
  log.Flush();
  CHECK(log.Close().ok());
}

TEST_CASE("the log rotates to LOG.old past its size, holding at most twice that",
          "[storage][info_log]") {
  botify::testing::TempDir dir;
  InfoLogOptions options;
  options.path = dir / "LOG";
  options.max_bytes = 4096;
  REQUIRE(options.Validate().ok());
  {
    InfoLog log(options);
    for (int i = 0; i < 1000; ++i) Log(log, "a line of about sixty bytes of RocksDB chatter");
    CHECK(log.dropped_lines() == 0);
    CHECK(log.GetLogFileSize() <= 4096);
  }
  CHECK(fs::file_size(dir / "LOG") <= 4096);
  CHECK(fs::file_size(dir / "LOG.old") <= 4096);
  CHECK(fs::file_size(dir / "LOG.old") > 3000);
  CHECK_THAT(botify::testing::ReadFile(dir / "LOG"), Catch::Contains("RocksDB chatter\n"));
}

TEST_CASE("a missing folder only drops lines until it exists", "[storage][info_log]") {
  botify::testing::TempDir dir;
  InfoLogOptions options;
  options.path = dir / "later/LOG";
  InfoLog log(options);
  Log(log, "lost");
  CHECK(log.dropped_lines() == 1);
  fs::create_directories(dir / "later");
  Log(log, "kept");
  CHECK(log.dropped_lines() == 1);
  CHECK_THAT(botify::testing::ReadFile(dir / "later/LOG"), Catch::Contains("kept"));
}
