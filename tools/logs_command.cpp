// `botify logs ship`: uploads the server's sealed event-log segments to HDFS (WebHDFS)
// or a local folder, then deletes or archives them locally. See docs/shipping.md.
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "base/dir_lock.h"
#include "engine/eventlog/log_layout.h"
#include "tools/admin_flags.h"
#include "tools/command.h"
#include "tools/shipping/ship_target_factory.h"
#include "tools/shipping/shipper.h"

namespace botify::tools {
namespace {

// Set by SIGINT/SIGTERM: finish the segment in flight, then stop.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnStopSignal(int) { g_stop.store(true); }

struct ShipFlags {
  std::string from;
  std::string to;
  std::string archive;
  bool remove = false;
  bool gzip = false;
  std::string layout = "plain";
  bool overwrite = false;
  bool watch = false;
  double interval_seconds = 10;
  std::string user;
  std::string metrics_file;
  int attempts = 5;
  double timeout_seconds = 120;
};

void Progress(const std::string& line) { fmt::print(stderr, "botify logs ship: {}\n", line); }

// The user for WebHDFS: --user, else $HADOOP_USER_NAME, else $USER, else none.
std::string WebHdfsUser(const std::string& flag) {
  if (!flag.empty()) return flag;
  for (const char* var : {"HADOOP_USER_NAME", "USER"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "";
}

ShipperOptions MakeShipperOptions(const ShipFlags& flags) {
  ShipperOptions options;
  options.from_dir = flags.from;
  options.gzip = flags.gzip;
  auto layout = ParseShipLayout(flags.layout);
  ExitIfError("logs ship", layout.status());
  options.layout = *layout;
  options.overwrite = flags.overwrite;
  if (flags.remove) options.after_ship = AfterShip::kDelete;
  if (!flags.archive.empty()) {
    options.after_ship = AfterShip::kArchive;
    options.archive_dir = flags.archive;
  }
  return options;
}

WebHdfsOptions MakeWebHdfsOptions(const ShipFlags& flags) {
  WebHdfsOptions options;
  options.user = WebHdfsUser(flags.user);
  options.max_attempts = flags.attempts;
  options.deadline = std::chrono::milliseconds(static_cast<long>(flags.timeout_seconds * 1000));
  options.on_retry = Progress;
  return options;
}

// Sleeps up to `seconds`, waking early on a stop signal.
void SleepUnlessStopped(double seconds) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  while (!g_stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Runs passes until done (or, with --watch, until a stop signal); returns the exit code.
int RunShip(const ShipFlags& flags, Shipper& shipper) {
  ShipStats total;
  const auto start = std::chrono::steady_clock::now();
  ShipStats last;
  do {
    last = shipper.RunOnce(&g_stop);
    total += last;
    if (!flags.metrics_file.empty()) {
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      const Status written = WriteMetricsFile(
          flags.metrics_file, total, std::chrono::duration_cast<std::chrono::seconds>(now).count());
      if (!written.ok()) Progress("warning: " + written.ToString());
    }
    if (flags.watch) SleepUnlessStopped(flags.interval_seconds);
  } while (flags.watch && !g_stop.load());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Progress(fmt::format("{} in {:.2f} s{}", total.Summary(), seconds,
                       g_stop.load() ? " (stopped by signal)" : ""));
  return last.segments_failed == 0 ? 0 : 1;
}

void Ship(const ShipFlags& flags) {
  const std::string cmd = "logs ship";
  if (flags.interval_seconds <= 0) {
    ExitIfError(cmd, Status::InvalidArgument("--interval must be > 0 seconds"));
  }
  if (flags.attempts < 1) ExitIfError(cmd, Status::InvalidArgument("--retries must be >= 1"));
  const ShipperOptions options = MakeShipperOptions(flags);
  ExitIfError(cmd, options.Validate());
  auto lock = DirLock::Acquire(options.from_dir / eventlog::kShipLockFileName, "shipper");
  ExitIfError(cmd, lock.status());
  auto target = OpenShipTarget(flags.to, MakeWebHdfsOptions(flags));
  ExitIfError(cmd, target.status());
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  Shipper shipper(options, target->get(), Progress);
  if (const int code = RunShip(flags, shipper); code != 0) throw CommandFailed(code);
}

void AddShipCommand(CLI::App& logs) {
  auto flags = std::make_shared<ShipFlags>();
  CLI::App* ship = logs.add_subcommand(
      "ship",
      "Upload sealed event-log segments, oldest first, to TARGET/<YYYY-MM-DD>/<host>/ (or "
      "TARGET/day=<YYYY-MM-DD>/host=<host>/ with --layout hive) and only then delete or archive "
      "them locally. Safe to kill and re-run at any moment: nothing is "
      "lost or shipped twice.");
  ship->add_option("--from", flags->from, "The server's sealed folder (LOG_DIR/sealed)")
      ->required();
  ship->add_option("--to", flags->to,
                   "TARGET: file:///path, webhdfs://namenode:9870/path or "
                   "http://namenode:9870/path")
      ->required();
  auto* archive =
      ship->add_option("--archive", flags->archive, "Move shipped segments into this folder");
  ship->add_flag("--delete", flags->remove, "Delete shipped segments locally")->excludes(archive);
  ship->add_flag("--gzip", flags->gzip, "Upload gzip-compressed <segment>.gz files");
  ship->add_option("--layout", flags->layout,
                   "Folders under TARGET: plain (<YYYY-MM-DD>/<host>/) or hive "
                   "(day=<YYYY-MM-DD>/host=<host>/, partitions Spark and Hive discover); "
                   "botify's readers accept both")
      ->check(CLI::IsMember({"plain", "hive"}))
      ->capture_default_str();
  auto* watch = ship->add_flag("--watch", flags->watch,
                               "Keep running: ship new segments every --interval seconds "
                               "until SIGINT/SIGTERM");
  ship->add_option("--interval", flags->interval_seconds, "Seconds between scans with --watch")
      ->capture_default_str()
      ->needs(watch);
  ship->add_option("--user", flags->user,
                   "WebHDFS user.name (default $HADOOP_USER_NAME, else $USER)");
  ship->add_flag("--overwrite", flags->overwrite,
                 "Replace a different file already under a segment's final name");
  ship->add_option("--metrics", flags->metrics_file,
                   "Write Prometheus text-format counters to this file after every scan");
  ship->add_option("--retries", flags->attempts,
                   "Tries per WebHDFS request on dropped or refused connections")
      ->capture_default_str();
  ship->add_option("--timeout", flags->timeout_seconds, "Seconds allowed per HTTP request")
      ->capture_default_str();
  ship->callback([flags] { Ship(*flags); });
}

}  // namespace

void AddSealCommand(CLI::App& logs) {
  auto f = std::make_shared<AdminFlags>();
  auto* cmd = logs.add_subcommand(
      "seal", "Make running servers seal their active log segment now, so it can be shipped");
  AddAdminFlags(cmd, *f, /*offline_db=*/false);
  cmd->callback([f] {
    ForEachServer("logs seal", *f, [](const AdminClient& client, const AdminTarget& target) {
      auto reply = client.Call(target, "POST", "/admin/log/seal", "");
      if (reply.ok()) fmt::print("{}: active segment sealed\n", target.label);
      return reply.status();
    });
  });
}

void AddLogsCommand(CLI::App& app) {
  CLI::App* logs = app.add_subcommand("logs", "Event-log operations (sealing, shipping segments)");
  logs->require_subcommand(1);
  AddShipCommand(*logs);
  AddSealCommand(*logs);
}

}  // namespace botify::tools
