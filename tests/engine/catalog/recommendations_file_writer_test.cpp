#include "engine/catalog/recommendations_file_writer.h"

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::ReadFile;
using botify::testing::TempDir;
using catalog::ListKey;
using catalog::RecommendationsFileWriter;

namespace {

// Lists of `n` users with 3 tracks each: about 40 bytes a line.
void AddUsers(RecommendationsFileWriter& writer, std::uint32_t n) {
  for (std::uint32_t u = 0; u < n; ++u) {
    const TrackId tracks[] = {u, u + 1, 100000 + u};
    REQUIRE(writer.Add(ListKey::kUser, u, tracks).ok());
  }
}

// Lowers this process's file size limit (RLIMIT_FSIZE) and ignores SIGXFSZ, so that a
// write past the limit fails with EFBIG; restores both on destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = old_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  struct rlimit old_ {};
  void (*old_handler_)(int) = SIG_DFL;
};

}  // namespace

TEST_CASE("recommendations file writer: lines read back through the parser, in order",
          "[engine][recommendations]") {
  TempDir dir;
  const std::string path = dir / "recs.jsonl";
  auto writer = RecommendationsFileWriter::Open(path);
  REQUIRE(writer.ok());
  // Past kFlushBytes, so the file is written in more than one chunk.
  const std::uint32_t users = 40000;
  AddUsers(*writer, users);
  const TrackId track_list[] = {7, 9};
  REQUIRE(writer->Add(ListKey::kTrack, 5, track_list).ok());
  CHECK(writer->lines() == users + 1);
  CHECK_FALSE(std::filesystem::exists(path));
  REQUIRE(writer->Commit().ok());
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

  const auto lines = botify::testing::ReadRecommendationsFile(path);
  REQUIRE(lines.size() == users + 1);
  CHECK(std::filesystem::file_size(path) > RecommendationsFileWriter::kFlushBytes);
  for (std::uint32_t u = 0; u < users; ++u) {
    REQUIRE(lines[u].key == ListKey::kUser);
    REQUIRE(lines[u].id == u);
    REQUIRE(lines[u].tracks == std::vector<TrackId>{u, u + 1, 100000 + u});
  }
  CHECK(lines.back().key == ListKey::kTrack);
  CHECK(lines.back().id == 5);
  CHECK(lines.back().tracks == std::vector<TrackId>{7, 9});

  // The bytes are AppendRecommendationsLine's, nothing more.
  std::string expected;
  for (std::uint32_t u = 0; u < users; ++u) {
    const TrackId tracks[] = {u, u + 1, 100000 + u};
    catalog::AppendRecommendationsLine(&expected, ListKey::kUser, u, tracks);
  }
  catalog::AppendRecommendationsLine(&expected, ListKey::kTrack, 5, track_list);
  CHECK(ReadFile(path) == expected);

  // Committed once: further calls are refused.
  CHECK(writer->Commit().code() == StatusCode::kFailedPrecondition);
  CHECK(writer->Add(ListKey::kUser, 1, track_list).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("recommendations file writer: an empty file commits as an empty file",
          "[engine][recommendations]") {
  TempDir dir;
  const std::string path = dir / "empty.jsonl";
  auto writer = RecommendationsFileWriter::Open(path);
  REQUIRE(writer.ok());
  REQUIRE(writer->Commit().ok());
  CHECK(std::filesystem::exists(path));
  CHECK(ReadFile(path).empty());
}

TEST_CASE("recommendations file writer: without Commit the old file stays and no tmp is left",
          "[engine][recommendations]") {
  TempDir dir;
  const std::string path = dir / "recs.jsonl";
  botify::testing::WriteFile(path, "old\n");
  {
    auto writer = RecommendationsFileWriter::Open(path);
    REQUIRE(writer.ok());
    AddUsers(*writer, 40000);  // some of it already written to the tmp file
    CHECK(std::filesystem::exists(path + ".tmp"));
    // A moved writer owns the file; the moved-from one leaves it alone.
    RecommendationsFileWriter moved = std::move(*writer);
    CHECK(moved.lines() == 40000);
  }
  CHECK(ReadFile(path) == "old\n");
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("recommendations file writer: a folder that does not exist is named in the error",
          "[engine][recommendations]") {
  TempDir dir;
  const std::string path = dir / "missing/recs.jsonl";
  auto writer = RecommendationsFileWriter::Open(path);
  REQUIRE_FALSE(writer.ok());
  CHECK(writer.status().code() == StatusCode::kIoError);
  CHECK_THAT(writer.status().message(),
             Catch::Contains(path + ".tmp") && Catch::Contains("No such file or directory"));
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("recommendations file writer: a failed rename names the file, keeps it, removes the tmp",
          "[engine][recommendations]") {
  TempDir dir;
  // A non-empty folder where the file should go: the rename over it fails.
  const std::string path = dir / "recs.jsonl";
  std::filesystem::create_directories(path + "/inside");
  auto writer = RecommendationsFileWriter::Open(path);
  REQUIRE(writer.ok());
  AddUsers(*writer, 10);
  const Status status = writer->Commit();
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kIoError);
  CHECK_THAT(status.message(), Catch::Contains(path));
  CHECK(std::filesystem::is_directory(path + "/inside"));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  // The error sticks.
  CHECK(writer->Commit().message() == status.message());
}

TEST_CASE("recommendations file writer: a failed write names the tmp file and removes it",
          "[engine][recommendations]") {
  TempDir dir;
  const std::string path = dir / "recs.jsonl";
  Status status, commit;
  bool tmp_left = true;
  {
    // A file size limit below one chunk: the first write fails with EFBIG, as a full disk
    // would fail it. Only the writer runs under the limit (a test failure would write).
    FileSizeLimit limit(4096);
    auto writer = RecommendationsFileWriter::Open(path);
    status = writer.status();
    for (std::uint32_t u = 0; u < 100000 && status.ok(); ++u) {
      const TrackId tracks[] = {u, u + 1, 100000 + u};
      status = writer->Add(ListKey::kUser, u, tracks);
    }
    tmp_left = std::filesystem::exists(path + ".tmp");
    if (writer.ok()) commit = writer->Commit();
  }
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kIoError);
  CHECK_THAT(status.message(),
             Catch::Contains("cannot write " + path + ".tmp") && Catch::Contains("too large"));
  CHECK_FALSE(tmp_left);
  // The error sticks: there is nothing left to commit.
  CHECK(commit.message() == status.message());
  CHECK_FALSE(std::filesystem::exists(path));
}
