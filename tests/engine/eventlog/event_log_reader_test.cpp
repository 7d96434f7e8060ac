#include "engine/eventlog/event_log_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::TempDir;
using botify::testing::WriteFile;
using botify::testing::WriteGzipFile;

namespace {

std::string Line(UserId user, TrackId track, double time) {
  std::string out;
  eventlog::LoggedArm arms[] = {{"USER_BASED", "T1"}};
  eventlog::AppendEventJson(&out, eventlog::EventKind::kNext, 1000 + user, user, track, time, 0.001,
                            7, arms);
  return out;
}

// Reads `path` and returns the users of the rows in callback order.
std::vector<UserId> Users(eventlog::EventLogReader& reader, const std::string& path,
                          Status* status) {
  std::vector<UserId> users;
  *status = reader.Read(path, [&](const eventlog::Event& e) { users.push_back(e.user); });
  return users;
}

}  // namespace

TEST_CASE("event logs are read from nested folders, gz or plain, in sorted path order",
          "[engine][event_log]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "b" / "c");
  std::filesystem::create_directories(dir.path() / ".hidden");
  WriteFile(dir / "b/c/z.log", Line(3, 1, 0.5));
  WriteGzipFile(dir / "b/a.jsonl.gz", Line(2, 1, 0.5) + Line(22, 1, 0.5));
  WriteFile(dir / "a.json", Line(1, 1, 0.5));
  WriteGzipFile(dir / "c.log.gz", Line(4, 1, 0.5));
  WriteFile(dir / "notes.txt", "not a log\n");
  WriteFile(dir / ".hidden/x.jsonl", Line(99, 1, 0.5));
  WriteFile(dir / ".tmp.jsonl", Line(98, 1, 0.5));

  auto files = eventlog::ListEventLogFiles(dir.path().string());
  REQUIRE(files.ok());
  CHECK(files->size() == 4);
  eventlog::EventLogReader reader;
  Status status;
  CHECK(Users(reader, dir.path().string(), &status) == std::vector<UserId>{1, 2, 22, 3, 4});
  REQUIRE(status.ok());
  CHECK(reader.stats().files == 4);
  CHECK(reader.stats().rows == 5);
  CHECK(reader.stats().bad_lines == 0);
}

TEST_CASE("a single file is read whatever its name", "[engine][event_log]") {
  TempDir dir;
  WriteGzipFile(dir / "events.data", Line(5, 6, 0.25));
  eventlog::EventLogReader reader;
  eventlog::Event got;
  REQUIRE(reader.Read(dir / "events.data", [&](const eventlog::Event& e) { got = e; }).ok());
  CHECK(got.user == 5);
  CHECK(got.track == 6);
  CHECK(got.time == 0.25);
  REQUIRE(got.ArmOf("USER_BASED") != nullptr);
  CHECK(*got.ArmOf("USER_BASED") == "T1");
}

TEST_CASE("bad lines are skipped and counted with file:line by default", "[engine][event_log]") {
  TempDir dir;
  WriteFile(dir / "x.jsonl",
            Line(1, 1, 0.5) + "{broken\n" + "\n" +
                R"({"message": "next", "timestamp": 1, "user": -4, "track": 1, "time": 0.5})" +
                "\n" + Line(2, 1, 0.5));
  eventlog::EventLogReaderOptions options;
  options.max_reported_bad_lines = 1;
  eventlog::EventLogReader reader(options);
  Status status;
  CHECK(Users(reader, dir.path().string(), &status) == std::vector<UserId>{1, 2});
  REQUIRE(status.ok());
  CHECK(reader.stats().bad_lines == 2);
  CHECK(reader.stats().blank_lines == 1);
  REQUIRE(reader.stats().bad_line_reports.size() == 1);
  CHECK_THAT(reader.stats().bad_line_reports[0], Catch::Contains("x.jsonl:2: malformed JSON"));
  CHECK_THAT(reader.stats().Summary(), Catch::Contains("2 bad lines"));
}

TEST_CASE("strict policy stops at the first bad line with file:line and field",
          "[engine][event_log]") {
  TempDir dir;
  WriteFile(
      dir / "x.jsonl",
      Line(1, 1, 0.5) + R"({"message": "next", "timestamp": 1, "user": 1, "track": 1})" + "\n");
  eventlog::EventLogReaderOptions options;
  options.bad_lines = eventlog::BadLinePolicy::kStrict;
  eventlog::EventLogReader reader(options);
  Status status;
  CHECK(Users(reader, dir.path().string(), &status) == std::vector<UserId>{1});
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("x.jsonl:2") && Catch::Contains("'time'"));
}

TEST_CASE("valid lines outside the fast path still reach the callback", "[engine][event_log]") {
  TempDir dir;
  WriteFile(dir / "x.jsonl",
            R"({"message": "next", "timestamp": 1, "user": 8, "user": 9, "track": 1, "time": 0.5})"
            "\n");
  eventlog::EventLogReader reader;
  Status status;
  const auto users = Users(reader, dir.path().string(), &status);
  REQUIRE(status.ok());
  CHECK(reader.stats().rows == 1);
  CHECK(users.size() == 1);
}

TEST_CASE("an empty folder reads no rows; a missing path is NotFound", "[engine][event_log]") {
  TempDir dir;
  eventlog::EventLogReader reader;
  Status status;
  CHECK(Users(reader, dir.path().string(), &status).empty());
  CHECK(status.ok());
  CHECK(reader.stats().files == 0);
  auto missing = reader.Read(dir / "nope", [](const eventlog::Event&) {});
  CHECK(missing.code() == StatusCode::kNotFound);
}

TEST_CASE("a gzip file cut mid-stream is reported as truncated, its whole lines kept",
          "[engine][event_log]") {
  TempDir dir;
  std::string text;
  for (UserId u = 0; u < 2000; ++u) text += Line(u, 1, 0.5);
  // Cut inside the deflate data: no trailer, the last line partial.
  std::filesystem::create_directories(dir.path() / "logs");
  WriteGzipFile(dir / "logs/a.jsonl.gz", text, 200);
  WriteFile(dir / "logs/b.jsonl", Line(5000, 1, 0.5));
  SECTION("skipped by default: counted, reported, the lines before the cut read") {
    eventlog::EventLogReader reader;
    Status s;
    const auto users = Users(reader, dir / "logs", &s);
    REQUIRE(s.ok());
    CHECK(reader.stats().truncated_files == 1);
    CHECK(reader.stats().bad_lines == 0);  // the cut line is not a "malformed JSON" line
    REQUIRE(reader.stats().bad_line_reports.size() == 1);
    CHECK_THAT(reader.stats().bad_line_reports[0],
               Catch::Contains("a.jsonl.gz: truncated gzip stream"));
    REQUIRE(users.size() > 100);
    CHECK(users.size() < 2001);
    for (std::size_t i = 0; i + 1 < users.size(); ++i) CHECK(users[i] == i);
    CHECK(users.back() == 5000);
    CHECK_THAT(reader.stats().Summary(), Catch::Contains("1 truncated gzip files"));
  }
  SECTION("strict: the read fails naming the file") {
    eventlog::EventLogReaderOptions options;
    options.bad_lines = eventlog::BadLinePolicy::kStrict;
    eventlog::EventLogReader reader(options);
    Status s;
    Users(reader, dir / "logs", &s);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(s.message(), Catch::Contains("a.jsonl.gz: truncated gzip stream"));
  }
}

TEST_CASE("a whole gzip file is not truncated", "[engine][event_log]") {
  TempDir dir;
  WriteGzipFile(dir / "a.jsonl.gz", Line(1, 1, 0.5) + Line(2, 1, 0.5));
  eventlog::EventLogReader reader;
  Status s;
  CHECK(Users(reader, dir / "a.jsonl.gz", &s) == std::vector<UserId>{1, 2});
  CHECK(s.ok());
  CHECK(reader.stats().truncated_files == 0);
}
