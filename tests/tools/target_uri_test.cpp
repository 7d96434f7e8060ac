#include "tools/shipping/target_uri.h"

#include <catch2/catch.hpp>

using namespace botify;
using namespace botify::tools;

TEST_CASE("ship targets: file, webhdfs and http URIs", "[tools][ship]") {
  auto local = ParseTargetUri("file:///var/log/botify/shipped/");
  REQUIRE(local.ok());
  CHECK(local->kind == TargetUri::Kind::kLocal);
  CHECK(local->path == "/var/log/botify/shipped");

  auto hdfs = ParseTargetUri("webhdfs://nn1.example:50070/data/botify");
  REQUIRE(hdfs.ok());
  CHECK(hdfs->kind == TargetUri::Kind::kWebHdfs);
  CHECK(hdfs->host == "nn1.example");
  CHECK(hdfs->port == 50070);
  CHECK(hdfs->path == "/data/botify");

  auto http = ParseTargetUri("http://namenode/logs");
  REQUIRE(http.ok());
  CHECK(http->kind == TargetUri::Kind::kWebHdfs);
  CHECK(http->port == kDefaultWebHdfsPort);
}

TEST_CASE("bad ship targets say what is wrong", "[tools][ship]") {
  auto check = [](const char* uri, const char* what) {
    auto target = ParseTargetUri(uri);
    REQUIRE_FALSE(target.ok());
    CHECK_THAT(target.status().message(), Catch::Contains(what));
  };
  check("hdfs://nn:8020/logs", "scheme");
  check("file://relative/path", "file:///");
  check("webhdfs://:9870/logs", "host");
  check("webhdfs://nn:9870/logs?x=1", "query");
  check("not a uri", "not a URI");
}
