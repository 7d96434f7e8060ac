// The Debian package (packaging/): built with cpack from this build tree, its metadata and
// contents read with dpkg-deb, then installed, upgraded, removed and purged in a scratch
// root with `dpkg --root --force-script-chrootless` (the maintainer scripts run with
// DPKG_ROOT set, never touching this machine's users or /var), and its units checked with
// systemd-analyze. Needs root (dpkg installs files owned by root and botify).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

const std::string kVersion = BOTIFY_VERSION;

// Runs a program found on PATH; returns its exit code, its output in *output.
int Run(std::vector<std::string> argv, std::string* output = nullptr) {
  argv.insert(argv.begin(), "/usr/bin/env");
  std::string out;
  const int code = RunCommand(argv, &out, 300000);
  if (output != nullptr) *output = out;
  return code;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The package, built once per test process into a folder of its own.
const std::string& Package() {
  static TempDir dir;
  static const std::string path = [] {
    std::string output;
    const int code = RunCommand(
        {BOTIFY_CPACK, "-G", "DEB", "--config",
         std::string(BOTIFY_BINARY_DIR) + "/CPackConfig.cmake", "-B", dir.path().string()},
        &output, 300000);
    INFO(output);
    REQUIRE(code == 0);
    std::string arch;
    REQUIRE(Run({"dpkg", "--print-architecture"}, &arch) == 0);
    const std::string deb = dir / ("botify_" + kVersion + "_" + Trimmed(arch) + ".deb");
    REQUIRE(fs::exists(deb));
    return deb;
  }();
  return path;
}

std::string Field(const std::string& deb, const std::string& name) {
  std::string value;
  REQUIRE(Run({"dpkg-deb", "--field", deb, name}, &value) == 0);
  return Trimmed(value);
}

// Whether root runs the tests (dpkg --root installs files owned by root and botify).
bool Root() {
  if (::geteuid() == 0) return true;
  WARN("skipped: installing into a scratch root needs root");
  SUCCEED();
  return false;
}

// An empty Debian root for `dpkg --root`: the dpkg database and the account files
// useradd --prefix edits, with root alone in them.
class ScratchRoot {
 public:
  ScratchRoot() {
    fs::create_directories(dir_.path() / "var/lib/dpkg/info");
    fs::create_directories(dir_.path() / "var/lib/dpkg/updates");
    fs::create_directories(dir_.path() / "etc");
    WriteFile(dir_ / "var/lib/dpkg/status", "");
    WriteFile(dir_ / "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    WriteFile(dir_ / "etc/group", "root:x:0:\n");
    WriteFile(dir_ / "etc/shadow", "root:*:19000:0:99999:7:::\n");
    WriteFile(dir_ / "etc/gshadow", "root:*::\n");
    fs::permissions(dir_ / "etc/shadow", fs::perms(0640));
    fs::permissions(dir_ / "etc/gshadow", fs::perms(0640));
  }
  std::string operator/(const std::string& path) const { return dir_ / path; }
  std::string path() const { return dir_.path().string(); }

  // dpkg --root with the maintainer scripts run outside a chroot (with DPKG_ROOT set):
  // the scratch root has no shell of its own. --force-depends: nor libraries.
  int Dpkg(const std::vector<std::string>& args, std::string* output = nullptr) const {
    std::vector<std::string> argv = {"dpkg", "--root=" + path(), "--force-script-chrootless",
                                     "--force-depends"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string out;
    const int code = Run(argv, &out);
    UNSCOPED_INFO("dpkg " << args.front() << ": " << out);
    if (output != nullptr) *output = out;
    return code;
  }
  std::string InstalledVersion() const {
    std::string out;
    Run({"dpkg-query", "--admindir=" + path() + "/var/lib/dpkg", "-W", "-f=${Status} ${Version}",
         "botify"},
        &out);
    return Trimmed(out);
  }
  // uid (field 3) or gid of botify in the scratch root's passwd or group; -1 if absent.
  int Id(const std::string& file) const {
    std::istringstream lines(ReadFile(dir_ / ("etc/" + file)));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("botify:", 0) == 0) {
        std::vector<std::string> fields;
        std::istringstream parts(line);
        for (std::string f; std::getline(parts, f, ':');) fields.push_back(f);
        return std::stoi(fields.at(2));
      }
    }
    return -1;
  }

 private:
  TempDir dir_;
};

struct stat Stat(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

// The absolute paths a unit file runs or reads: ExecStart=, ExecReload=, EnvironmentFile=
// and Documentation=file: arguments.
std::set<std::string> PathsNamedBy(const std::string& unit_text) {
  std::set<std::string> paths;
  const std::regex directive(R"(^(ExecStart|ExecReload|EnvironmentFile|Documentation)=(.*)$)");
  const std::regex path(R"((?:^|[\s:])(/[A-Za-z0-9._/-]+))");
  std::istringstream lines(unit_text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, directive)) continue;
    const std::string args = m[2];
    for (auto it = std::sregex_iterator(args.begin(), args.end(), path);
         it != std::sregex_iterator(); ++it) {
      paths.insert((*it)[1]);
    }
  }
  return paths;
}

const std::vector<std::string> kUnits = {"botify-server.service", "botify-logs-ship.service"};

}  // namespace

TEST_CASE(
    "the .deb is botify_<version>_<arch>.deb; it depends on the Debian 12 runtime libraries "
    "the binaries link, and carries its maintainer scripts and conffiles",
    "[packaging]") {
  const std::string& deb = Package();
  CHECK(Field(deb, "Package") == "botify");
  CHECK(Field(deb, "Version") == kVersion);
  const std::string depends = Field(deb, "Depends");
  for (const std::string lib : {"libboost-json1.81.0", "libboost-url1.81.0", "libfmt9", "zlib1g",
                                "libstdc++6", "libc6", "passwd", "procps"}) {
    CHECK_THAT(depends, Catch::Contains(lib));
  }
  // Each dependency (dpkg-shlibdeps' names and versions) is satisfied on this machine: one
  // of its alternatives ("libblas3 | libblas.so.3", the second a virtual package) is a real
  // Debian package that is installed at a version the relation allows.
  const std::regex item(R"(^\s*([a-z0-9.+-]+)(?:\s*\((>=|<=|=|>>|<<)\s*([^)]+)\))?\s*$)");
  std::istringstream items(depends);
  for (std::string dependency; std::getline(items, dependency, ',');) {
    INFO(dependency);
    bool satisfied = false;
    std::istringstream alternatives(dependency);
    for (std::string alternative; std::getline(alternatives, alternative, '|');) {
      std::smatch m;
      REQUIRE(std::regex_match(alternative, m, item));
      std::string installed;
      if (Run({"dpkg-query", "-W", "-f=${Version}", m[1]}, &installed) != 0) continue;
      if (m[2].matched) {
        const std::map<std::string, std::string> op = {
            {">=", "ge"}, {"<=", "le"}, {"=", "eq"}, {">>", "gt"}, {"<<", "lt"}};
        if (Run({"dpkg", "--compare-versions", Trimmed(installed), op.at(m[2]), m[3]}) != 0) {
          continue;
        }
      }
      satisfied = true;
    }
    CHECK(satisfied);
  }
  std::string info;
  REQUIRE(Run({"dpkg-deb", "--info", deb}, &info) == 0);
  for (const std::string script : {"postinst", "prerm", "postrm"}) {
    CHECK_THAT(info, Catch::Contains(script) && Catch::Contains("#!/bin/sh"));
  }
  std::string conffiles;
  REQUIRE(Run({"dpkg-deb", "--info", deb, "conffiles"}, &conffiles) == 0);
  CHECK(conffiles == "/etc/botify/botify-server.conf\n/etc/botify/logs-ship.env\n");
}

TEST_CASE("the .deb holds the binaries, the default config, the units and the docs",
          "[packaging]") {
  std::string listing;
  REQUIRE(Run({"dpkg-deb", "--contents", Package()}, &listing) == 0);
  std::map<std::string, std::string> mode;  // path -> "-rwxr-xr-x root/root"
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string perms, owner, size, day, time, path;
    fields >> perms >> owner >> size >> day >> time >> path;
    mode[path] = perms + " " + owner;
  }
  const std::map<std::string, std::string> expected = {
      {"./usr/bin/botify-server", "-rwxr-xr-x root/root"},
      {"./usr/bin/botify", "-rwxr-xr-x root/root"},
      {"./etc/botify/botify-server.conf", "-rw-r--r-- root/root"},
      {"./etc/botify/logs-ship.env", "-rw-r--r-- root/root"},
      {"./lib/systemd/system/botify-server.service", "-rw-r--r-- root/root"},
      {"./lib/systemd/system/botify-logs-ship.service", "-rw-r--r-- root/root"},
      {"./usr/share/doc/botify/operations.md", "-rw-r--r-- root/root"},
      {"./usr/share/doc/botify/shipping.md", "-rw-r--r-- root/root"},
      {"./usr/share/doc/botify/server.md", "-rw-r--r-- root/root"},
  };
  for (const auto& [path, m] : expected) {
    INFO(path);
    CHECK(mode[path] == m);
  }
  // The token, the database and the logs are the maintainer scripts' and the service's.
  for (const auto& [path, m] : mode) {
    CHECK(path.find("admin.token") == std::string::npos);
    CHECK(path.rfind("./var/", 0) != 0);
  }
}

TEST_CASE(
    "installed into a scratch root, the package creates the user botify, its folders and a "
    "0600 admin token, and puts every file where its units expect it",
    "[packaging]") {
  if (!Root()) return;
  ScratchRoot root;
  REQUIRE(root.Dpkg({"--install", Package()}) == 0);
  CHECK(root.InstalledVersion() == "install ok installed " + kVersion);

  // The system user, with no login and the database folder as home.
  const int uid = root.Id("passwd"), gid = root.Id("group");
  REQUIRE(uid > 0);
  REQUIRE(gid > 0);
  CHECK_THAT(ReadFile(root / "etc/passwd"),
             Catch::Contains(":botify recommender:/var/lib/botify:/usr/sbin/nologin\n"));
  for (const std::string dir : {"var/lib/botify", "var/log/botify", "var/log/botify/sealed"}) {
    INFO(dir);
    const struct stat st = Stat(root / dir);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((st.st_mode & 07777) == 0750);
    CHECK(static_cast<int>(st.st_uid) == uid);
    CHECK(static_cast<int>(st.st_gid) == gid);
  }
  const struct stat token = Stat(root / "etc/botify/admin.token");
  CHECK((token.st_mode & 07777) == 0600);
  CHECK(static_cast<int>(token.st_uid) == uid);
  const std::string token_text = ReadFile(root / "etc/botify/admin.token");
  CHECK(std::regex_match(token_text, std::regex("[0-9a-f]{32}\n")));
  // The packaged config is the one the build generated from the server's flags.
  CHECK(ReadFile(root / "etc/botify/botify-server.conf") == ReadFile(BOTIFY_PACKAGE_CONFIG));

  // Every path a unit runs or reads is installed (or, /bin/kill, a dependency's).
  for (const auto& unit : kUnits) {
    const std::string text = ReadFile(root / ("lib/systemd/system/" + unit));
    for (const auto& path : PathsNamedBy(text)) {
      INFO(unit << ": " << path);
      CHECK((fs::exists(root / path.substr(1)) || path == "/bin/kill"));
    }
    CHECK_THAT(text, Catch::Contains("\nStateDirectory=botify\n") &&
                         Catch::Contains("\nLogsDirectory=botify\n") &&
                         Catch::Contains("\nUser=botify\n"));
  }
  // The installed server, reading the installed config, keeps its database, log and token
  // where the unit lets it write (StateDirectory, LogsDirectory) and postinst put them.
  std::string settings;
  REQUIRE(Run({root / "usr/bin/botify-server", "--config-file",
               root / "etc/botify/botify-server.conf", "--print-config"},
              &settings) == 0);
  CHECK_THAT(settings, Catch::Contains("\ndb = \"/var/lib/botify/db\"\n") &&
                           Catch::Contains("\nlog-dir = \"/var/log/botify\"\n") &&
                           Catch::Contains("\nadmin-token-file = \"/etc/botify/admin.token\"\n"));
  const std::string unit = ReadFile(root / "lib/systemd/system/botify-server.service");
  CHECK_THAT(unit, Catch::Contains("ExecStart=/usr/bin/botify-server --config-file "
                                   "/etc/botify/botify-server.conf\n"));

  // A reinstall keeps the token.
  REQUIRE(root.Dpkg({"--install", Package()}) == 0);
  CHECK(ReadFile(root / "etc/botify/admin.token") == token_text);
}

TEST_CASE("systemd-analyze verifies both units and rates their sandboxing exposure 1.1 or less",
          "[packaging]") {
  if (!Root()) return;
  ScratchRoot root;
  REQUIRE(root.Dpkg({"--install", Package()}) == 0);
  TempDir units;
  for (const auto& unit : kUnits) {
    INFO(unit);
    // verify checks that ExecStart's binary exists: point it at the scratch root's.
    std::string text = ReadFile(root / ("lib/systemd/system/" + unit));
    text = std::regex_replace(text, std::regex("=/usr/bin/"), "=" + root.path() + "/usr/bin/");
    WriteFile(units / unit, text);
    std::string output;
    CHECK(Run({"systemd-analyze", "verify", "--man=no", units / unit}, &output) == 0);
    CHECK(output.empty());
    // --threshold is in tenths: fails above an overall exposure of 1.1, what both units
    // score ("OK" is below 2.0; what is left open is the network a server needs).
    CHECK(Run({"systemd-analyze", "security", "--offline=true", "--root=" + root.path(),
               "--threshold=11", unit},
              &output) == 0);
    CHECK_THAT(output, Catch::Contains("Overall exposure level for " + unit));
  }
}

TEST_CASE(
    "an upgrade keeps the database, the logs, the token and an edited config; remove keeps "
    "them too; purge deletes everything install created",
    "[packaging]") {
  if (!Root()) return;
  ScratchRoot root;
  REQUIRE(root.Dpkg({"--install", Package()}) == 0);
  // A host that served: a database, unshipped logs, an operator's setting.
  fs::create_directories(root / "var/lib/botify/db");
  fs::create_directories(root / "var/log/botify/sealed");
  WriteFile(root / "var/lib/botify/db/CURRENT", "MANIFEST-000001\n");
  WriteFile(root / "var/log/botify/sealed/events-h-20261207T000000Z-0000abcd-000001.jsonl", "{}\n");
  const std::string edited = ReadFile(root / "etc/botify/botify-server.conf") + "port = 5999\n";
  WriteFile(root / "etc/botify/botify-server.conf", edited);
  const std::string token = ReadFile(root / "etc/botify/admin.token");

  // The next version: the same package with a higher version number.
  TempDir next;
  REQUIRE(Run({"dpkg-deb", "--raw-extract", Package(), next / "tree"}) == 0);
  const std::string control = ReadFile(next / "tree/DEBIAN/control");
  WriteFile(next / "tree/DEBIAN/control",
            std::regex_replace(control, std::regex("\nVersion: [^\n]+"),
                               "\nVersion: " + kVersion + "+next"));
  // Uncompressed: xz over the binaries would take most of this test's time.
  REQUIRE(Run({"dpkg-deb", "-Znone", "--build", next / "tree", next / "next.deb"}) == 0);
  REQUIRE(root.Dpkg({"--install", next / "next.deb"}) == 0);
  CHECK(root.InstalledVersion() == "install ok installed " + kVersion + "+next");
  CHECK(ReadFile(root / "var/lib/botify/db/CURRENT") == "MANIFEST-000001\n");
  CHECK(fs::exists(root / "var/log/botify/sealed/events-h-20261207T000000Z-0000abcd-000001.jsonl"));
  CHECK(ReadFile(root / "etc/botify/botify-server.conf") == edited);
  CHECK(ReadFile(root / "etc/botify/admin.token") == token);

  // Remove: the programs go, the data, the config and the user stay.
  REQUIRE(root.Dpkg({"--remove", "botify"}) == 0);
  CHECK_FALSE(fs::exists(root / "usr/bin/botify-server"));
  CHECK_FALSE(fs::exists(root / "lib/systemd/system/botify-server.service"));
  CHECK(fs::exists(root / "var/lib/botify/db/CURRENT"));
  CHECK(ReadFile(root / "etc/botify/botify-server.conf") == edited);
  CHECK(fs::exists(root / "etc/botify/admin.token"));
  CHECK(root.Id("passwd") > 0);
  CHECK(root.InstalledVersion() == "deinstall ok config-files " + kVersion + "+next");

  // Purge: nothing the package or its service created is left.
  REQUIRE(root.Dpkg({"--purge", "botify"}) == 0);
  for (const std::string path : {"var/lib/botify", "var/log/botify", "etc/botify"}) {
    INFO(path);
    CHECK_FALSE(fs::exists(root / path));
  }
  CHECK(root.Id("passwd") == -1);
  CHECK(root.Id("group") == -1);
  CHECK(root.InstalledVersion().find("ok installed") == std::string::npos);
  CHECK(root.InstalledVersion().find("config-files") == std::string::npos);
}
