// The fleet on one machine (issue 17): scripts/fleet.sh starts three botify-server hosts on
// 127.0.0.1-3 behind nginx (scripts/fleet-nginx.conf). The same simulated traffic is run
// against one host and through the balancer, and the fleet must behave as one server:
// users stick to a host, the experiment assigns every user the arm a single host assigns,
// rolling index reloads fail no request, and a host stopped with SIGTERM mid-run loses no
// acknowledged request while nginx moves its users to the others. Skips without nginx.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "engine/eventlog/event.h"
#include "engine/eventlog/event_log_reader.h"
#include "tests/server_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

const std::string kFleetScript = std::string(BOTIFY_SOURCE_DIR) + "/scripts/fleet.sh";
const std::string kBuildDir = fs::path(BOTIFY_SERVER_BINARY).parent_path().string();
constexpr const char* kConfig =
    R"({"experiments": [{"name": "USER_BASED", "split": 2, "arms": {"C": "random", "T1": "indexed:ub"}}], "routing": "USER_BASED"})";

// A fleet started by scripts/fleet.sh in `dir`; stopped (drained) on destruction unless
// Stop() already did. Thread-compatible.
class Fleet {
 public:
  Fleet(const std::string& dir, const std::string& tracks, const std::string& config) : dir_(dir) {
    std::string out;
    const int code =
        RunCommand({"/bin/bash", kFleetScript, "start", "--dir", dir, "--tracks", tracks,
                    "--config", config, "--build", kBuildDir, "--", "--threads", "1"},
                   &out, 60000);
    INFO(out);
    REQUIRE(code == 0);
    balancer_port_ = std::stoi(ReadFile(dir + "/balancer_port"));
    std::ifstream in(dir + "/admin_servers");
    for (std::string line; std::getline(in, line);) admin_.push_back(line);
    REQUIRE(admin_.size() == 3);
  }
  ~Fleet() {
    if (!stopped_) RunCommand({"/bin/bash", kFleetScript, "stop", "--dir", dir_}, nullptr, 60000);
  }
  int Stop(std::string* out) {
    stopped_ = true;
    return RunCommand({"/bin/bash", kFleetScript, "stop", "--dir", dir_}, out, 60000);
  }
  // `args` followed by --server for every host and the shared token.
  std::vector<std::string> AdminCommand(std::vector<std::string> args) const {
    for (const auto& a : admin_) args.insert(args.end(), {"--server", a});
    args.insert(args.end(), {"--token-file", dir_ + "/admin.token"});
    return args;
  }
  std::string HostDir(int i) const { return dir_ + "/host" + std::to_string(i); }
  int balancer_port() const { return balancer_port_; }

 private:
  std::string dir_;
  int balancer_port_ = 0;
  std::vector<std::string> admin_;
  bool stopped_ = false;
};

std::vector<std::string> SimArgs(int port, int seed, int episodes) {
  // No client retries and no dropped episode tolerated: any request the fleet fails fails
  // the run.
  return {BOTIFY_CLI_BINARY,
          "sim",
          "--world",
          "",
          "--port",
          std::to_string(port),
          "--episodes",
          std::to_string(episodes),
          "--seed",
          std::to_string(seed),
          "--connections",
          "16",
          "--retries",
          "0",
          "--max-failed-episodes",
          "0",
          "--timeout-ms",
          "20000",
          "--no-progress"};
}

// The count N of "requests N, errors 0 ..." in a sim's output; fails unless errors are 0.
std::uint64_t AcknowledgedRequests(const std::string& sim_output) {
  INFO(sim_output);
  REQUIRE_THAT(sim_output, Catch::Contains(", errors 0 ("));
  const auto at = sim_output.rfind("requests ");
  REQUIRE(at != std::string::npos);
  return std::stoull(sim_output.substr(at + 9));
}

// Every event under `path` (a file or a folder of any nesting), through botify's reader.
std::vector<eventlog::Event> ReadEvents(const std::string& path) {
  std::vector<eventlog::Event> events;
  eventlog::EventLogReader reader({eventlog::BadLinePolicy::kStrict});
  REQUIRE(reader.Read(path, [&](const eventlog::Event& e) { events.push_back(e); }).ok());
  return events;
}

std::map<UserId, std::string> ArmByUser(const std::vector<eventlog::Event>& events) {
  std::map<UserId, std::string> arms;
  for (const auto& e : events) {
    const std::string* arm = e.ArmOf("USER_BASED");
    REQUIRE(arm != nullptr);
    auto [it, fresh] = arms.emplace(e.user, *arm);
    REQUIRE(it->second == *arm);  // one arm per user
  }
  return arms;
}

// "users per arm C 123, T1 130" of `botify ab`'s sample-ratio line; fails unless it is OK.
std::string SampleRatio(const std::string& logs) {
  std::string out;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "ab", "--logs", logs, "--experiment", "USER_BASED",
                      "--format", "markdown"},
                     &out) == 0);
  INFO(out);
  const auto at = out.find("sample ratio OK: users per arm ");
  REQUIRE(at != std::string::npos);
  return out.substr(at, out.find(" against", at) - at);
}

std::uintmax_t ActiveLogBytes(const std::string& host_dir) {
  std::uintmax_t bytes = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(host_dir + "/logs/active", ec)) {
    bytes += e.file_size(ec);
  }
  return bytes;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void WriteRecommendations(const std::string& users_json, const std::string& out) {
  std::ifstream users(users_json);
  std::ofstream recs(out);
  int user = 0;
  for (std::string line; std::getline(users, line); ++user) {
    recs << "{\"user\": " << user << ", \"tracks\": [";
    for (int k = 0; k < 20; ++k) recs << (k ? ", " : "") << (user * 13 + k * 7) % 2000;
    recs << "]}\n";
  }
}

}  // namespace

TEST_CASE(
    "three hosts behind nginx serve like one host: sticky users, same arms, rolling "
    "reloads and a drained host lose nothing",
    "[e2e][fleet]") {
  if (!fs::exists("/usr/sbin/nginx")) {
    WARN("SKIPPED: /usr/sbin/nginx is missing (scripts/install-deps.sh installs nginx-light)");
    return;
  }
  TempDir dir;
  std::string out;
  REQUIRE(
      RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "world", "--preset", "small"},
                 &out) == 0);
  WriteFile(dir / "config.json", kConfig);
  WriteRecommendations(dir / "world/users.json", dir / "ub.jsonl");
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "build", "--recs", dir / "ub.jsonl", "--tracks",
                      dir / "world/tracks.json", "--out", dir / "ub.sst"},
                     &out) == 0);
  auto sim = [&](int port, int seed, int episodes) {
    auto args = SimArgs(port, seed, episodes);
    args[3] = dir / "world";
    return args;
  };
  constexpr int kDay1 = 1500, kDay2 = 3000;

  // The reference: the same two days against a single host.
  TempDir single_dir;
  std::map<UserId, std::string> single_arms;
  std::string single_ratio;
  {
    TestServer single(single_dir, {dir / "world/tracks.json", kConfig});
    WriteFile(single_dir / "token.txt", single.token());
    REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub", "--sst", dir / "ub.sst",
                        "--server", "127.0.0.1:" + std::to_string(single.admin_port()),
                        "--token-file", single_dir / "token.txt"},
                       &out) == 0);
    REQUIRE(RunCommand(sim(single.port(), 1, kDay1), &out) == 0);
    REQUIRE(RunCommand(sim(single.port(), 2, kDay2), &out) == 0);
    REQUIRE(single.Stop() == 0);
    single_arms = ArmByUser(ReadEvents(single.log_dir() + "/sealed"));
    single_ratio = SampleRatio(single.log_dir() + "/sealed");
  }

  Fleet fleet(dir / "fleet", dir / "world/tracks.json", dir / "config.json");
  REQUIRE(RunCommand(fleet.AdminCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub",
                                         "--sst", dir / "ub.sst"}),
                     &out) == 0);
  std::uint64_t acknowledged = 0;

  // Day 1 through the balancer, with the index reloaded host after host meanwhile.
  ChildProcess day1(sim(fleet.balancer_port(), 1, kDay1), dir / "day1.out", dir / "day1.out");
  int reloads = 0, day1_code = -1;  // Wait reaps: its first exit code is the only one
  for (; reloads < 20 && (day1_code = day1.Wait(0)) == -1; ++reloads) {
    REQUIRE(RunCommand(fleet.AdminCommand({BOTIFY_CLI_BINARY, "index", "load", "--name", "ub",
                                           "--sst", dir / "ub.sst"}),
                       &out) == 0);
    CHECK_THAT(out, Catch::Contains("127.0.0.3:"));  // a report row per host
  }
  if (day1_code == -1) day1_code = day1.Wait(60000);
  REQUIRE(day1_code == 0);
  CHECK(reloads >= 1);
  acknowledged += AcknowledgedRequests(ReadFile(dir / "day1.out"));

  // Every user's day-1 requests are on one host.
  REQUIRE(RunCommand(fleet.AdminCommand({BOTIFY_CLI_BINARY, "logs", "seal"}), &out) == 0);
  std::map<UserId, int> host_of;
  for (int h = 1; h <= 3; ++h) {
    const auto events = ReadEvents(fleet.HostDir(h) + "/logs/sealed");
    CHECK(!events.empty());  // the hash spreads users over every host
    for (const auto& e : events) {
      auto [it, fresh] = host_of.emplace(e.user, h);
      INFO("user " << e.user);
      CHECK(it->second == h);
    }
  }

  // Day 2: host2 gets SIGTERM while the day runs; its users move to the other hosts.
  ChildProcess day2(sim(fleet.balancer_port(), 2, kDay2), dir / "day2.out", dir / "day2.out");
  for (int i = 0; i < 6000 && ActiveLogBytes(fleet.HostDir(2)) < 50000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(ActiveLogBytes(fleet.HostDir(2)) >= 50000);
  REQUIRE(day2.Wait(0) == -1);  // still running: the stop lands mid-day
  const std::int64_t stopped_at = NowMs();
  REQUIRE(kill(std::stoi(ReadFile(fleet.HostDir(2) + "/pid")), SIGTERM) == 0);
  for (int i = 0; i < 3000 && !fs::exists(fleet.HostDir(2) + "/exit_code"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(ReadFile(fleet.HostDir(2) + "/exit_code") == "0\n");  // drained, log sealed
  REQUIRE(day2.Wait(120000) == 0);
  acknowledged += AcknowledgedRequests(ReadFile(dir / "day2.out"));

  // An admin command over the fleet with host2 down still loads the others, names the
  // failed host and exits 1.
  {
    const int code = RunCommand(fleet.AdminCommand({BOTIFY_CLI_BINARY, "index", "load", "--name",
                                                    "ub", "--sst", dir / "ub.sst"}),
                                &out);
    INFO(out);
    CHECK(code == 1);
    CHECK_THAT(out, Catch::Contains("1 of 3 servers failed") && Catch::Contains("| 127.0.0.1:") &&
                        Catch::Contains("| 127.0.0.3:") &&
                        Catch::Contains("botify index load: 127.0.0.2:"));
  }

  // The two hosts left drain too; every host ships to one target, analysed as one.
  {
    const int stopped = fleet.Stop(&out);
    INFO(out);
    REQUIRE(stopped == 0);
  }
  std::set<UserId> moved;
  for (int h : {1, 3}) {
    for (const auto& e : ReadEvents(fleet.HostDir(h) + "/logs/sealed")) {
      if (e.timestamp_ms > stopped_at && host_of.count(e.user) && host_of[e.user] == 2) {
        moved.insert(e.user);
      }
    }
  }
  CHECK(moved.size() > 0);  // host2's users were served by the others after its stop
  REQUIRE(RunCommand({"/bin/bash", kFleetScript, "ship", "--dir", dir / "fleet", "--to",
                      "file://" + dir / "hdfs", "--build", kBuildDir},
                     &out) == 0);
  for (int h = 1; h <= 3; ++h) {
    const auto host_days = dir / "hdfs";
    bool shipped = false;
    for (const auto& day : fs::directory_iterator(host_days)) {
      shipped = shipped || fs::is_directory(day.path() / ("host" + std::to_string(h)));
    }
    CHECK(shipped);  // <day>/host<h>/ exists
  }
  const auto shipped = ReadEvents(dir / "hdfs");
  CHECK(shipped.size() == acknowledged);  // nothing lost, nothing twice
  CHECK(ArmByUser(shipped) == single_arms);
  CHECK(SampleRatio(dir / "hdfs") == single_ratio);
}
