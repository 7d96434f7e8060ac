// The glue from a log read to its consumer (engine/eventlog/event_consumer.h): a
// callback's or a consumer's error stops the read at that row and says where.
#include "engine/eventlog/event_consumer.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

// Three rows of users 1, 2, 3 in one file.
std::string ThreeRows(const TempDir& dir) {
  std::string lines;
  for (UserId user = 1; user <= 3; ++user) {
    eventlog::AppendEventJson(&lines, eventlog::EventKind::kNext, 1000, user, 5, 0.5, 0.001, 7, {});
  }
  const std::string path = dir / "a.jsonl";
  WriteFile(path, lines);
  return path;
}

// Keeps its first error, as ab::Sessionizer does when a spill fails.
struct FailsAfterTwo {
  std::vector<UserId> users;
  Status status_;
  void Add(const eventlog::Event& e) {
    users.push_back(e.user);
    if (users.size() == 2) status_ = Status::IoError("spill disk full");
  }
  const Status& status() const { return status_; }
};

struct RefusesUser2 {
  std::vector<UserId> users;
  Status Add(const eventlog::Event& e) {
    if (e.user == 2) return Status::InvalidArgument("user 2 refused");
    users.push_back(e.user);
    return Status::Ok();
  }
};

struct TakesAll {
  std::vector<UserId> users;
  void Add(const eventlog::Event& e) { users.push_back(e.user); }
};

}  // namespace

TEST_CASE("a callback's error stops the read at its row and names the file and line",
          "[engine][event_log]") {
  TempDir dir;
  const std::string path = ThreeRows(dir);
  eventlog::EventLogReader reader;
  std::vector<UserId> seen;
  const Status s = reader.Read(path, [&](const eventlog::Event& e) {
    seen.push_back(e.user);
    return e.user == 2 ? Status::Unavailable("stop here") : Status::Ok();
  });
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK_THAT(s.message(), Catch::Contains("a.jsonl:2") && Catch::Contains("stop here"));
  CHECK(seen == std::vector<UserId>{1, 2});
  CHECK(reader.stats().files == 0);  // the file was not read to its end
}

TEST_CASE("ReadInto feeds every row to a consumer that cannot fail", "[engine][event_log]") {
  TempDir dir;
  const std::string path = ThreeRows(dir);
  eventlog::EventLogReader reader;
  TakesAll consumer;
  REQUIRE(eventlog::ReadInto(reader, path, consumer).ok());
  CHECK(consumer.users == std::vector<UserId>{1, 2, 3});
  CHECK(reader.stats().rows == 3);
}

TEST_CASE("ReadInto stops at a consumer's error, returned by Add or kept in status()",
          "[engine][event_log]") {
  TempDir dir;
  const std::string path = ThreeRows(dir);
  {
    eventlog::EventLogReader reader;
    RefusesUser2 consumer;
    const Status s = eventlog::ReadInto(reader, path, consumer);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(s.message(), Catch::Contains("a.jsonl:2") && Catch::Contains("user 2 refused"));
    CHECK(consumer.users == std::vector<UserId>{1});
  }
  {
    eventlog::EventLogReader reader;
    FailsAfterTwo consumer;
    const Status s = eventlog::ReadInto(reader, path, consumer);
    CHECK(s.code() == StatusCode::kIoError);
    CHECK_THAT(s.message(), Catch::Contains("a.jsonl:2") && Catch::Contains("spill disk full"));
    CHECK(consumer.users == std::vector<UserId>{1, 2});  // user 3 never offered
  }
}
