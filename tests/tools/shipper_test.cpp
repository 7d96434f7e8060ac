#include "tools/shipping/shipper.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "engine/eventlog/event_log_reader.h"
#include "tests/test_support.h"
#include "tests/tools/ship_test_support.h"
#include "tests/tools/webhdfs_double.h"
#include "tools/shipping/local_target.h"
#include "tools/shipping/webhdfs_client.h"

using namespace botify;
using namespace botify::tools;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

int CountFiles(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// A sealed folder, a target folder and an archive folder under one temp dir.
struct LocalSetup {
  TempDir tmp;
  fs::path sealed = tmp.path() / "sealed";
  fs::path out = tmp.path() / "out";
  fs::path archive = tmp.path() / "archive";
  LocalTarget target{out};
  LocalSetup() {
    fs::create_directories(sealed);
    fs::create_directories(out);
  }
  ShipperOptions Options(AfterShip after, bool gzip = false) const {
    ShipperOptions options;
    options.from_dir = sealed;
    options.after_ship = after;
    options.archive_dir = archive;
    options.gzip = gzip;
    return options;
  }
};

WebHdfsClient ClientFor(const WebHdfsDouble& hdfs) {
  WebHdfsOptions options;
  options.host = "127.0.0.1";
  options.port = hdfs.namenode_port();
  options.root = "/botify/logs";
  options.user = "shipper";
  options.max_attempts = 2;
  options.initial_backoff = std::chrono::milliseconds(1);
  return WebHdfsClient(options);
}

}  // namespace

TEST_CASE("shipping to a folder delivers every line once, in the day/host layout",
          "[tools][ship]") {
  LocalSetup s;
  const auto lines = WriteSealedSegments(s.sealed, 6, 50, "edge-1", 1);
  WriteFile((s.sealed / "events-edge-1-20240219T000000Z-0badf00d-999999.jsonl.tmp").string(),
            "torn");
  std::vector<std::string> reported;
  Shipper shipper(s.Options(AfterShip::kDelete), &s.target,
                  [&](const std::string& line) { reported.push_back(line); });
  const ShipStats stats = shipper.RunOnce();
  CHECK(stats.segments_shipped == 6);
  CHECK(stats.segments_failed == 0);
  CHECK(stats.bytes_uploaded == stats.bytes_read);
  const auto shipped = ReadTree(s.out);
  CHECK(ShippedLines(shipped) == Sorted(lines));
  CHECK(shipped.count("2024-02-19/edge-1/events-edge-1-20240219T000000Z-0badf00d-000000.jsonl"));
  CHECK(shipped.count("2024-02-20/edge-1/events-edge-1-20240220T000500Z-0badf00d-000005.jsonl"));
  CHECK(shipped.size() == 6);        // no temporary files left
  CHECK(CountFiles(s.sealed) == 1);  // only the ignored .tmp remains
  REQUIRE(reported.size() == 6);
  CHECK_THAT(reported[0], Catch::Contains("000000.jsonl"));  // oldest first
  CHECK_THAT(reported[5], Catch::Contains("000005.jsonl"));
}

TEST_CASE("gzip shipping decompresses to the same lines; archive keeps the originals",
          "[tools][ship]") {
  LocalSetup s;
  const auto lines = WriteSealedSegments(s.sealed, 4, 200, "h", 2);
  Shipper shipper(s.Options(AfterShip::kArchive, true), &s.target, {});
  const ShipStats stats = shipper.RunOnce();
  CHECK(stats.segments_shipped == 4);
  CHECK(stats.bytes_uploaded < stats.bytes_read / 2);
  const auto shipped = ReadTree(s.out);
  for (const auto& [path, content] : shipped) CHECK_THAT(path, Catch::EndsWith(".jsonl.gz"));
  CHECK(ShippedLines(shipped) == Sorted(lines));
  CHECK(CountFiles(s.sealed) == 0);
  CHECK(ShippedLines(ReadTree(s.archive)) == Sorted(lines));
}

TEST_CASE("a segment already complete at the target is only cleaned up locally", "[tools][ship]") {
  LocalSetup s;
  WriteSealedSegments(s.sealed, 2, 10, "h", 3);
  Shipper keep(s.Options(AfterShip::kKeep), &s.target, {});
  CHECK(keep.RunOnce().segments_shipped == 2);
  CHECK(CountFiles(s.sealed) == 2);
  Shipper remove(s.Options(AfterShip::kDelete), &s.target, {});
  const ShipStats again = remove.RunOnce();
  CHECK(again.segments_shipped == 0);
  CHECK(again.segments_resumed == 2);
  CHECK(CountFiles(s.sealed) == 0);
}

TEST_CASE("a different file under the final name is never overwritten without --overwrite",
          "[tools][ship]") {
  LocalSetup s;
  const auto lines = WriteSealedSegments(s.sealed, 1, 10, "h", 4);
  const fs::path final_dir = s.out / "2024-02-20" / "h";
  fs::create_directories(final_dir);
  WriteFile((final_dir / "events-h-20240220T000000Z-0badf00d-000000.jsonl").string(), "other\n");
  Shipper shipper(s.Options(AfterShip::kDelete), &s.target, {});
  const ShipStats stats = shipper.RunOnce();
  CHECK(stats.segments_failed == 1);
  CHECK(CountFiles(s.sealed) == 1);  // kept locally, nothing lost
  ShipperOptions options = s.Options(AfterShip::kDelete);
  options.overwrite = true;
  Shipper overwriting(options, &s.target, {});
  CHECK(overwriting.RunOnce().segments_shipped == 1);
  CHECK(ShippedLines(ReadTree(s.out)) == Sorted(lines));
  CHECK(CountFiles(s.sealed) == 0);
}

TEST_CASE(
    "--layout hive ships to day=<day>/host=<host>/ and the event reader reads both "
    "layouts alike",
    "[tools][ship][layout]") {
  LocalSetup s;
  const auto lines = WriteSealedSegments(s.sealed, 4, 20, "edge-1", 3);
  ShipperOptions options = s.Options(AfterShip::kKeep);
  options.layout = ShipLayout::kHive;
  Shipper hive(options, &s.target, {});
  CHECK(hive.RunOnce().segments_shipped == 4);
  const auto shipped = ReadTree(s.out);
  CHECK(shipped.count(
      "day=2024-02-19/host=edge-1/events-edge-1-20240219T000000Z-0badf00d-000000.jsonl"));
  CHECK(ShippedLines(shipped) == Sorted(lines));

  LocalTarget plain_target(s.tmp.path() / "plain");
  Shipper plain(s.Options(AfterShip::kKeep), &plain_target, {});
  CHECK(plain.RunOnce().segments_shipped == 4);
  auto read = [](const fs::path& root) {
    std::vector<std::string> rows;
    eventlog::EventLogReader reader({eventlog::BadLinePolicy::kStrict});
    REQUIRE(reader
                .Read(root.string(),
                      [&](const eventlog::Event& e) {
                        rows.push_back(std::to_string(e.timestamp_ms) + " " +
                                       std::to_string(e.user));
                      })
                .ok());
    CHECK(reader.stats().files == 4);
    return rows;
  };
  const auto hive_rows = read(s.out);
  CHECK(hive_rows.size() == lines.size());
  CHECK(hive_rows == read(s.tmp.path() / "plain"));  // same rows, same order
}

TEST_CASE("a segment shipped plain is not shipped again as .gz or in the hive layout",
          "[tools][ship][layout]") {
  const auto [gzip, layout, why] = GENERATE(table<bool, ShipLayout, std::string>({
      {true, ShipLayout::kPlain, "the other format (--gzip differs)"},
      {false, ShipLayout::kHive, "another layout (--layout differs)"},
      {true, ShipLayout::kHive, "the other format (--gzip differs)"},
  }));
  LocalSetup s;
  WriteSealedSegments(s.sealed, 1, 10, "h", 5);
  Shipper plain(s.Options(AfterShip::kKeep), &s.target, {});
  CHECK(plain.RunOnce().segments_shipped == 1);
  ShipperOptions options = s.Options(AfterShip::kDelete, gzip);
  options.layout = layout;
  std::vector<std::string> reported;
  Shipper again(options, &s.target, [&](const std::string& line) { reported.push_back(line); });
  CHECK(again.RunOnce().segments_failed == 1);
  CHECK(ReadTree(s.out).size() == 1);
  CHECK(CountFiles(s.sealed) == 1);  // kept locally: nothing lost, nothing twice
  REQUIRE(reported.size() == 1);
  CHECK_THAT(reported[0], Catch::Contains(why));
}

TEST_CASE("a torn segment or a bad name fails alone and stays in place", "[tools][ship]") {
  LocalSetup s;
  WriteSealedSegments(s.sealed, 2, 10, "h", 6);
  WriteFile((s.sealed / "events-h-20240219T000001Z-0badf00d-000100.jsonl").string(),
            "{\"message\": \"next\"");
  WriteFile((s.sealed / "events-h-bad.jsonl").string(), "{}\n");
  Shipper shipper(s.Options(AfterShip::kDelete), &s.target, {});
  const ShipStats stats = shipper.RunOnce();
  CHECK(stats.segments_shipped == 2);
  CHECK(stats.segments_failed == 2);
  CHECK(CountFiles(s.sealed) == 2);
}

TEST_CASE("shipping to WebHDFS delivers every line once; faults leave segments for later",
          "[tools][ship][webhdfs]") {
  LocalSetup s;
  WebHdfsDouble hdfs;
  WebHdfsClient client = ClientFor(hdfs);
  const auto lines = WriteSealedSegments(s.sealed, 8, 40, "edge7", 7);
  hdfs.InjectFault({WebHdfsStep::kCreateDatanode, WebHdfsFault::kServerError, 2, 1});
  hdfs.InjectFault({WebHdfsStep::kRename, WebHdfsFault::kForbidden, 4, 1});
  hdfs.InjectFault({WebHdfsStep::kGetFileStatus, WebHdfsFault::kDropAfterApply, 5, 1});
  Shipper shipper(s.Options(AfterShip::kDelete, true), &client, {});
  const ShipStats first = shipper.RunOnce();
  CHECK(first.segments_failed == 2);
  CHECK(first.segments_shipped == 6);
  CHECK(CountFiles(s.sealed) == 2);  // the two failed segments (a dropped answer is retried)
  const ShipStats second = shipper.RunOnce();
  CHECK(second.segments_failed == 0);
  CHECK(second.segments_shipped == 2);
  const auto files = hdfs.Files();
  CHECK(ShippedLines(files) == Sorted(lines));
  for (const auto& [path, content] : files) {
    CHECK_THAT(path, Catch::StartsWith("/botify/logs/2024-02-"));
    CHECK_THAT(path, Catch::Contains("/edge7/events-edge7-") && Catch::EndsWith(".jsonl.gz"));
  }
  CHECK(files.size() == 8);
}
