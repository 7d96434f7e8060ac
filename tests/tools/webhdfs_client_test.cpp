#include "tools/shipping/webhdfs_client.h"

#include <catch2/catch.hpp>

#include "tests/tools/webhdfs_double.h"

using namespace botify;
using namespace botify::tools;
using botify::testing::WebHdfsDouble;
using botify::testing::WebHdfsFault;
using botify::testing::WebHdfsFaultRule;
using botify::testing::WebHdfsStep;

namespace {

WebHdfsOptions OptionsFor(const WebHdfsDouble& hdfs, int attempts = 3) {
  WebHdfsOptions options;
  options.host = "127.0.0.1";
  options.port = hdfs.namenode_port();
  options.root = "/logs";
  options.user = "botify";
  options.max_attempts = attempts;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.deadline = std::chrono::milliseconds(5000);
  return options;
}

}  // namespace

TEST_CASE("WebHDFS create goes to the namenode without data, then to the datanode",
          "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs));
  REQUIRE(client.MakeDirs("2024-02-19/h").ok());
  REQUIRE(client.Write("2024-02-19/h/.a.tmp", "line 1\nline 2\n").ok());
  auto length = client.FileLength("2024-02-19/h/.a.tmp");
  REQUIRE(length.ok());
  CHECK(*length == std::optional<std::uint64_t>(14));
  REQUIRE(client.Rename("2024-02-19/h/.a.tmp", "2024-02-19/h/a").ok());
  CHECK(hdfs.Files() ==
        std::map<std::string, std::string>{{"/logs/2024-02-19/h/a", "line 1\nline 2\n"}});
  const std::vector<std::string> log = hdfs.Log();
  REQUIRE(log.size() == 5);
  CHECK(log[0] == "namenode PUT MKDIRS /logs/2024-02-19/h user=botify");
  CHECK(log[1] == "namenode PUT CREATE /logs/2024-02-19/h/.a.tmp user=botify");
  CHECK(log[2] == "datanode PUT CREATE /logs/2024-02-19/h/.a.tmp user=botify");
  CHECK(log[3] == "namenode GET GETFILESTATUS /logs/2024-02-19/h/.a.tmp user=botify");
  CHECK(log[4] == "namenode PUT RENAME /logs/2024-02-19/h/.a.tmp user=botify");
}

TEST_CASE("WebHDFS missing files have no length; renames never replace", "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs));
  auto missing = client.FileLength("nope");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  REQUIRE(client.Write("a", "1").ok());
  REQUIRE(client.Write("b", "22").ok());
  const Status renamed = client.Rename("a", "b");
  CHECK(renamed.code() == StatusCode::kAlreadyExists);
  CHECK(hdfs.Files().at("/logs/b") == "22");
  REQUIRE(client.Delete("a").ok());
  REQUIRE(client.Delete("a").ok());  // already gone is fine
  CHECK(hdfs.Files().count("/logs/a") == 0);
  CHECK(client.FileLength("").status().code() == StatusCode::kFailedPrecondition);  // a folder
}

TEST_CASE("WebHDFS error answers become clear statuses", "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs));
  hdfs.InjectFault({WebHdfsStep::kCreateDatanode, WebHdfsFault::kForbidden});
  const Status forbidden = client.Write("x", "data");
  CHECK(forbidden.code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(forbidden.message(), Catch::Contains("HTTP 403") &&
                                      Catch::Contains("AccessControlException") &&
                                      Catch::Contains("user=botify") && Catch::Contains("/logs/x"));
  hdfs.InjectFault({WebHdfsStep::kMkdirs, WebHdfsFault::kServerError});
  const Status failed = client.MakeDirs("d");
  CHECK(failed.code() == StatusCode::kIoError);
  CHECK_THAT(failed.message(), Catch::Contains("HTTP 500") && Catch::Contains("IOException"));
  CHECK(hdfs.Files().empty());
}

TEST_CASE("WebHDFS dropped connections are retried, with a bound", "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs, 3));
  hdfs.InjectFault({WebHdfsStep::kCreateDatanode, WebHdfsFault::kDropBeforeApply, 0, 2});
  REQUIRE(client.Write("x", "data").ok());
  CHECK(hdfs.Files().at("/logs/x") == "data");
  CHECK(hdfs.requests() == 6);  // three tries of namenode + datanode

  hdfs.InjectFault({WebHdfsStep::kGetFileStatus, WebHdfsFault::kDropBeforeApply, 0, 3});
  auto gave_up = client.FileLength("x");
  REQUIRE_FALSE(gave_up.ok());
  CHECK(gave_up.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(gave_up.status().message(), Catch::Contains("gave up after 3 tries"));
}

TEST_CASE("WebHDFS rename retried after a lost answer reports the destination exists",
          "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs));
  REQUIRE(client.Write(".t", "abc").ok());
  hdfs.InjectFault({WebHdfsStep::kRename, WebHdfsFault::kDropAfterApply});
  CHECK(client.Rename(".t", "f").code() == StatusCode::kAlreadyExists);
  CHECK(hdfs.Files() == std::map<std::string, std::string>{{"/logs/f", "abc"}});
}

TEST_CASE("WebHDFS paths are percent-encoded and decoded back", "[tools][ship][webhdfs]") {
  WebHdfsDouble hdfs;
  WebHdfsClient client(OptionsFor(hdfs));
  REQUIRE(client.Write("a b/c%d#e?f", "x").ok());
  CHECK(hdfs.Files().count("/logs/a b/c%d#e?f") == 1);
}

TEST_CASE("WebHDFS: nothing listening is unavailable after the retries", "[tools][ship][webhdfs]") {
  std::uint16_t port;
  {
    WebHdfsDouble gone;
    port = gone.namenode_port();
  }
  WebHdfsOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.max_attempts = 2;
  options.initial_backoff = std::chrono::milliseconds(1);
  int retries = 0;
  options.on_retry = [&](const std::string&) { ++retries; };
  WebHdfsClient client(options);
  const Status status = client.MakeDirs("x");
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK_THAT(status.message(), Catch::Contains("connect"));
  CHECK(retries == 1);
}
