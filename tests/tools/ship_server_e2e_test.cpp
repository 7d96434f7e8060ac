// The whole docs/contracts.md §7 path: a real botify-server under load seals segments while
// `botify logs ship --watch` ships them to the WebHDFS double and is SIGKILLed again and
// again at random protocol steps; after SIGTERM and a last run, every acknowledged request
// is in exactly one shipped line.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "base/random.h"
#include "engine/eventlog/event.h"
#include "tests/server_support.h"
#include "tests/tools/ship_test_support.h"
#include "tests/tools/webhdfs_double.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

TEST_CASE("server + shipper killed at random steps: acknowledged requests = shipped lines",
          "[tools][ship][e2e][server]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 100);
  TestServer server(dir, {dir / "tracks.json", "", {"--log-segment-bytes", "4096"}});
  const std::string sealed = server.log_dir() + "/sealed";
  WebHdfsDouble hdfs;
  std::atomic<int> kill_at{0};
  std::atomic<pid_t> victim{0};
  hdfs.SetHook([&](int seq, bool applied) {
    if (seq == kill_at.load() && applied == (seq % 2 == 0) && victim.load() > 0) {
      kill(victim.load(), SIGKILL);
    }
  });
  std::atomic<int> acknowledged{0};
  std::atomic<bool> clients_done{false};
  std::thread client_thread([&] {
    HttpClient client(server.port());
    for (int i = 0; i < 3000; ++i) {
      const std::string path = (i % 4 == 3 ? "/last/" : "/next/") + std::to_string(i % 97);
      if (client.Post(path, R"({"track": 7, "time": 0.5})").status == 200) ++acknowledged;
    }
    clients_done = true;
  });
  const std::vector<std::string> ship = {
      BOTIFY_CLI_BINARY,   "logs",     "ship",   "--from",    sealed, "--to",
      hdfs.Url("/events"), "--delete", "--gzip", "--retries", "2"};
  Rng rng(21);
  int runs = 0;
  // Keep killing shippers while the server writes, and a few times after; on a slow
  // machine (ASan, a loaded CI host) every early run may be killed before its first file
  // lands, so go on (bounded) until one has, which the check below asks for.
  while (!clients_done.load() || runs < 10 || (hdfs.Files().empty() && runs < 100)) {
    std::vector<std::string> args = ship;
    args.insert(args.end(), {"--watch", "--interval", "0.02"});
    kill_at = hdfs.requests() + 1 + static_cast<int>(rng.Uniform(40));
    ChildProcess shipper(args, dir / "ship.txt", dir / "ship.txt");
    victim = shipper.pid();
    shipper.Wait(300);  // killed by the hook, or by the destructor when this times out
    ++runs;
  }
  client_thread.join();
  victim = 0;
  const std::size_t shipped_while_running = hdfs.Files().size();
  REQUIRE(server.Stop() == 0);  // seals the active segment
  std::string output;
  REQUIRE(RunCommand(ship, &output) == 0);
  INFO(output << "\nshipper runs: " << runs);
  CHECK(shipped_while_running > 0);
  CHECK(acknowledged.load() == 3000);
  const auto files = hdfs.Files();
  const auto shipped = ShippedLines(files);
  CHECK(static_cast<int>(shipped.size()) == acknowledged.load());
  for (const auto& line : shipped)
    REQUIRE(eventlog::ParseEvent(line.substr(0, line.size() - 1)).ok());
  for (const auto& [path, content] : files) {
    CHECK_FALSE(fs::path(path).filename().string().starts_with("."));
  }
  for (const auto& e : fs::directory_iterator(sealed)) {
    CHECK(e.path().extension() != ".jsonl");
  }
}
