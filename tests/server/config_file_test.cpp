// botify-server --config-file: every flag from a file, the command line winning, mistakes
// named by file and line, and the package's default file in step with the flags.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/server_support.h"

using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

// The flags `botify-server --help` lists, without the leading "--".
std::set<std::string> HelpFlags() {
  std::string help;
  REQUIRE(RunCommand({BOTIFY_SERVER_BINARY, "--help"}, &help) == 0);
  std::set<std::string> flags;
  const std::regex option(R"(^\s+(?:-\w,)?--([a-z0-9-]+))");
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    if (std::smatch m; std::regex_search(line, m, option)) flags.insert(m[1]);
  }
  return flags;
}

// Flags only the command line may give.
const std::set<std::string> kCommandLineOnly = {"help", "config-file", "print-config"};

// `botify-server <args> --print-config`'s lines that set something ("name = value").
std::map<std::string, std::string> PrintedSettings(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {BOTIFY_SERVER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--print-config");
  std::string out;
  const int code = RunCommand(argv, &out);
  INFO(out);
  REQUIRE(code == 0);
  std::map<std::string, std::string> settings;
  const std::regex setting(R"(^([a-z0-9-]+) = (.*)$)");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (std::smatch m; std::regex_match(line, m, setting)) settings[m[1]] = m[2];
  }
  return settings;
}

// botify-server --config-file `file` (plus `args`): its exit code and stderr.
int RunWithConfig(const std::string& file, const std::vector<std::string>& args,
                  std::string* output) {
  std::vector<std::string> argv = {BOTIFY_SERVER_BINARY, "--config-file", file};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, output);
}

}  // namespace

TEST_CASE("every botify-server flag can be set from --config-file", "[server][config-file]") {
  TempDir dir;
  fs::create_directories(dir / "import");
  // A value other than the default for every flag, spelled as the file would.
  const std::map<std::string, std::string> values = {
      {"host", "\"0.0.0.0\""},
      {"port", "5999"},
      {"threads", "3"},
      {"db", "\"/srv/botify/db\""},
      {"block-cache-bytes", "1048576"},
      {"row-cache-bytes", "0"},
      {"tracks", "\"/srv/botify/tracks.json\""},
      {"config", "\"/srv/botify/routing.json\""},
      {"log-dir", "\"/srv/botify/logs\""},
      {"no-log", "true"},
      {"log-segment-bytes", "1000000"},
      {"log-segment-age", "60"},
      {"log-flush-ms", "5"},
      {"log-disk-budget", "5000000000"},
      {"log-queue-bytes", "1000000"},
      {"log-host", "\"edge-7\""},
      {"admin-host", "\"::1\""},
      {"admin-port", "6002"},
      {"no-admin", "true"},
      {"admin-token-file", "\"/etc/botify/admin.token\""},
      {"admin-any-peer", "true"},
      {"body-limit", "4096"},
      {"admin-body-limit", "2048"},
      {"admin-import-dir", "\"" + dir / "import" + "\""},
      {"ingest-headroom-bytes", "33554432"},
      {"header-limit", "2048"},
      {"read-timeout-ms", "1000"},
      {"write-timeout-ms", "2000"},
      {"send-buffer-bytes", "0"},
      {"session-memory-bytes", "1048576"},
      {"session-idle-timeout", "60"},
      {"port-file", "\"/run/botify/port\""},
      {"admin-port-file", "\"/run/botify/admin_port\""},
  };
  // A flag added to the server without a line here fails this test: add it.
  std::set<std::string> settable = HelpFlags();
  for (const auto& flag : kCommandLineOnly) CHECK(settable.erase(flag) == 1);
  std::set<std::string> tested;
  for (const auto& [name, value] : values) tested.insert(name);
  CHECK(settable == tested);

  std::string file;
  for (const auto& [name, value] : values) file += name + " = " + value + "\n";
  WriteFile(dir / "all.conf", file);
  const auto defaults = PrintedSettings({});
  CHECK(defaults.empty());  // nothing set: every line is a commented default
  const auto settings = PrintedSettings({"--config-file", dir / "all.conf"});
  for (const auto& [name, value] : values) {
    INFO(name);
    REQUIRE(settings.count(name) == 1);
    CHECK(settings.at(name) == value);
  }
  CHECK(settings.size() == values.size());
}

TEST_CASE("a config file alone configures a serving botify-server", "[server][config-file]") {
  TempDir dir;
  WriteCatalog(dir / "tracks.json", 50);
  WriteFile(dir / "server.conf",
            "# everything from the file\n"
            "db = \"" +
                dir / "db" +
                "\"\n"
                "tracks = " +
                dir / "tracks.json" +
                "\n"
                "log-dir = '" +
                dir / "logs" +
                "'\n"
                "port = 0\n"
                "port-file = " +
                dir / "port" +
                "\n"
                "no-admin = true\n"
                "threads = 1\n");
  ChildProcess server({BOTIFY_SERVER_BINARY, "--config-file", dir / "server.conf"}, dir / "out",
                      dir / "err");
  REQUIRE(WaitUntil([&] { return fs::exists(dir / "port"); }));
  unsigned short port = 0;
  std::istringstream(ReadFile(dir / "port")) >> port;
  HttpClient client(port);
  CHECK(client.Get("/track/42").status == 200);
  CHECK(client.Get("/track/50").status == 404);  // the file's 50-track catalog
  CHECK(fs::is_directory(dir / "logs/active"));
  CHECK_FALSE(fs::exists(dir / "admin.token"));  // no-admin
  server.Signal(SIGTERM);
  CHECK(server.Wait(60000) == 0);
}

TEST_CASE("a flag on the command line wins over the config file", "[server][config-file]") {
  TempDir dir;
  WriteFile(dir / "server.conf", "port = 5999\nthreads = 3\nlog-dir = /from/file\nno-log = true\n");
  const auto settings =
      PrintedSettings({"--config-file", dir / "server.conf", "--port", "6001", "--no-log=false"});
  CHECK(settings.at("port") == "6001");
  CHECK(settings.at("no-log") == "false");
  CHECK(settings.at("threads") == "3");  // not on the command line: the file's
  CHECK(settings.at("log-dir") == "\"/from/file\"");
}

TEST_CASE(
    "a config file's unknown setting, bad value, repeated setting or section is an error "
    "naming the file and the line",
    "[server][config-file]") {
  TempDir dir;
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"port = 5001\n\n# comment\nprot = 5002\n",
       ": line 4: unknown setting 'prot' (`botify-server --print-config` lists every one)"},
      {"port = http\n", ": line 1: port = http: Could not convert: --port = http"},
      {"; ini comment\nport = 70000\n", ": line 2: port = 70000: Could not convert"},
      {"threads = 2\nno-log = maybe\n", ": line 2: no-log = maybe: Could not convert"},
      {"admin-import-dir = /no/such/dir\n", ": line 1: admin-import-dir = /no/such/dir:"},
      {"port = 1\nthreads = 1\nport = 2\n", ": line 3: 'port' is set again (first on line 1)"},
      {"[server]\nport = 1\n", ": line 1: '[server]': botify-server's settings have no sections"},
      {"server.port = 1\n", ": line 1: unknown setting 'server.port'"},
      {"config-file = other.conf\n", ": line 1: 'config-file' can only be given on the command"},
      {"print-config = true\n", ": line 1: 'print-config' can only be given on the command"},
      {"port 5001\n", ": line 1: unknown setting 'port 5001'"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    WriteFile(dir / "bad.conf", c.text);
    std::string output;
    CHECK(RunWithConfig(dir / "bad.conf", {}, &output) == 2);
    CHECK_THAT(output, Catch::Contains(dir / "bad.conf" + c.message));
  }
  // A bad value is an error even where the command line overrides it: the file is wrong.
  WriteFile(dir / "bad.conf", "port = http\n");
  std::string output;
  CHECK(RunWithConfig(dir / "bad.conf", {"--port", "5001"}, &output) == 2);
  CHECK_THAT(output, Catch::Contains("line 1: port = http"));
  CHECK(RunWithConfig(dir / "missing.conf", {}, &output) == 2);
  CHECK_THAT(output, Catch::Contains("missing.conf"));
}

TEST_CASE("the package's default config file lists every flag with its default and loads as it is",
          "[server][config-file]") {
  const std::string packaged = ReadFile(BOTIFY_PACKAGE_CONFIG);
  // `name = value` (set by the package) or `# name = default` (commented out).
  std::map<std::string, std::string> lines;
  const std::regex line(R"(^(# )?([a-z0-9-]+) =(.*)$)");
  std::istringstream in(packaged);
  for (std::string l; std::getline(in, l);) {
    if (std::smatch m; std::regex_match(l, m, line)) {
      CHECK(lines.count(m[2]) == 0);
      lines[m[2]] = l;
    }
  }
  std::set<std::string> flags = HelpFlags();
  for (const auto& flag : kCommandLineOnly) flags.erase(flag);
  for (const auto& flag : flags) {
    INFO(flag);
    CHECK(lines.count(flag) == 1);
  }
  CHECK(lines.size() == flags.size());
  // What the package sets: its paths.
  CHECK(lines.at("db") == "db = \"/var/lib/botify/db\"");
  CHECK(lines.at("log-dir") == "log-dir = \"/var/log/botify\"");
  CHECK(lines.at("admin-token-file") == "admin-token-file = \"/etc/botify/admin.token\"");
  // Every commented line is the binary's default, as --print-config prints it unset.
  std::string defaults;
  REQUIRE(RunCommand({BOTIFY_SERVER_BINARY, "--print-config"}, &defaults) == 0);
  for (const auto& [flag, text] : lines) {
    if (text.rfind("# ", 0) != 0) continue;
    INFO(flag);
    CHECK_THAT(defaults, Catch::Contains("\n" + text + "\n"));
  }
  // Read back, the file prints as itself: it loads, and what it says is what is in effect.
  std::string reread;
  REQUIRE(
      RunCommand({BOTIFY_SERVER_BINARY, "--config-file", BOTIFY_PACKAGE_CONFIG, "--print-config"},
                 &reread) == 0);
  CHECK(reread == packaged);
}
