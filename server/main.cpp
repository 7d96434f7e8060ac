// botify-server: serves next-track requests (docs/contracts.md §3) from one process per edge host.
// Only this file parses flags (server/config_file.h reads --config-file for it); everything
// else gets options structs.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "engine/eventlog/event_log_writer.h"
#include "engine/eventlog/log_layout.h"
#include "server/admin_handler.h"
#include "server/api_handler.h"
#include "server/config_file.h"
#include "server/readiness_notifier.h"
#include "server/server.h"
#include "server/service.h"
#include "server/watchdog_keepalive.h"
#include "storage/store.h"

namespace {

using namespace botify;
using namespace botify::server;

storage::StoreOptions DefaultStore() {
  storage::StoreOptions o;
  o.path = "data/db";
  return o;
}

eventlog::EventLogOptions DefaultLog() {
  eventlog::EventLogOptions o;
  o.dir = "data/logs";
  return o;
}

struct Flags {
  ServerOptions server;
  storage::StoreOptions store = DefaultStore();
  eventlog::EventLogOptions log = DefaultLog();
  serving::SessionStoreOptions sessions;
  std::uint64_t session_idle_seconds = 1800;
  bool no_log = false, no_admin = false, print_config = false;
  std::string tracks, config, token_file, port_file, admin_port_file, admin_import_dir;
  bool admin_any_peer = false;
  std::uint64_t log_age_seconds = 3600, log_flush_ms = 20, read_timeout_ms = 30000,
                write_timeout_ms = 30000;
};

void AddFlags(CLI::App& app, Flags& f) {
  app.add_option("--host", f.server.address, "Address to listen on")->capture_default_str();
  app.add_option("--port", f.server.port, "Port (0 = any free port)")->capture_default_str();
  app.add_option("--threads", f.server.threads, "Worker threads (0 = one per core)")
      ->capture_default_str();
  app.add_option("--db", f.store.path, "RocksDB folder (catalog and indexes)")
      ->capture_default_str();
  app.add_option("--block-cache-bytes", f.store.block_cache_bytes, "RocksDB block cache size")
      ->capture_default_str();
  app.add_option("--row-cache-bytes", f.store.row_cache_bytes, "RocksDB row cache size (0 = off)")
      ->capture_default_str();
  app.add_option("--ingest-headroom-bytes", f.store.ingest_headroom_bytes,
                 "Free bytes an index load must leave on the --db (and staging) file system beyond "
                 "the file; a load that does not fit is refused with 507")
      ->capture_default_str();
  app.add_option("--tracks", f.tracks, "Import this tracks.json as the catalog before serving");
  app.add_option("--config", f.config, "Experiments/routing config (JSON); SIGHUP reloads it");
  app.add_option("--log-dir", f.log.dir, "Event log folder (active/ and sealed/)")
      ->capture_default_str();
  app.add_flag("--no-log", f.no_log, "Do not write the event log");
  app.add_option("--log-segment-bytes", f.log.max_segment_bytes, "Seal segments at this size")
      ->capture_default_str();
  app.add_option("--log-segment-age", f.log_age_seconds, "Seal segments at this age, seconds")
      ->capture_default_str();
  app.add_option("--log-flush-ms", f.log_flush_ms, "Write queued events this often, ms")
      ->capture_default_str();
  app.add_option("--log-disk-budget", f.log.disk_budget_bytes,
                 "Warn when unshipped segments exceed this many bytes (0 = off)")
      ->capture_default_str();
  app.add_option(
         "--log-queue-bytes", f.log.max_queued_bytes,
         "Answer 503 (and /readyz 503) while more than this many event bytes wait for the disk")
      ->capture_default_str();
  app.add_option("--log-host", f.log.host, "Host name in segment names (default: hostname)");
  app.add_option("--admin-host", f.server.admin_address, "Admin listener address")
      ->capture_default_str();
  app.add_option("--admin-port", f.server.admin_port, "Admin port (0 = any free port)")
      ->capture_default_str();
  app.add_flag("--no-admin", f.no_admin, "Disable admin endpoints");
  app.add_option("--admin-token-file", f.token_file,
                 "Admin bearer token (created if missing; default: <db>/../admin.token)");
  app.add_flag("--admin-any-peer", f.admin_any_peer,
               "Accept admin requests from non-loopback peers (token still required)");
  app.add_option("--body-limit", f.server.limits.body_limit, "Largest request body, bytes")
      ->capture_default_str();
  app.add_option("--admin-body-limit", f.server.admin_body_limit,
                 "Largest admin request body (an index upload), bytes; the upload is held in "
                 "memory while it is staged, so a host needs this much free RAM to load it")
      ->capture_default_str();
  app.add_option("--admin-import-dir", f.admin_import_dir,
                 "Folder of index files that `POST /admin/index/NAME?import=FILE` (botify index "
                 "load --import FILE) ingests from disk, no upload and no copy in memory; "
                 "default: import off")
      ->check(CLI::ExistingDirectory);
  app.add_option("--header-limit", f.server.limits.header_limit, "Largest request header, bytes")
      ->capture_default_str();
  app.add_option("--read-timeout-ms", f.read_timeout_ms, "Close connections idle this long")
      ->capture_default_str();
  app.add_option("--write-timeout-ms", f.write_timeout_ms,
                 "Close connections that do not read an answer within this long")
      ->capture_default_str();
  app.add_option("--send-buffer-bytes", f.server.limits.send_buffer_bytes,
                 "Kernel send buffer per connection (0 = kernel autotuning)")
      ->capture_default_str();
  app.add_option("--session-memory-bytes", f.sessions.memory_budget_bytes,
                 "Memory for listeners' session state (session-aware recommenders); least recently "
                 "used sessions are evicted past it")
      ->capture_default_str();
  app.add_option("--session-idle-timeout", f.session_idle_seconds,
                 "A session idle this long is over, seconds")
      ->capture_default_str();
  app.add_option("--port-file", f.port_file, "Write the bound API port here");
  app.add_option("--admin-port-file", f.admin_port_file, "Write the bound admin port here");
}

// The header of `--print-config`'s output (and so of the package's default config file).
constexpr const char* kConfigHeader =
    "botify-server settings (docs/operations.md): one `name = value` per line, INI/TOML\n"
    "syntax, read with `botify-server --config-file FILE`. A flag on the command line wins\n"
    "over the file. A line starting with '#' shows a setting's default: remove the '#' to\n"
    "change it. `botify-server --config-file FILE --print-config` prints what is in effect.";

// botify-server's whole command line on storage of its own: main parses into one, the
// config-file reader tries each line of the file on a fresh one.
class ServerCommandLine : public CLI::App {
 public:
  ServerCommandLine()
      : CLI::App("botify-server: serves next-track recommendations over HTTP (see README)") {
    AddFlags(*this, flags);
    set_config("--config-file", "",
               "Read settings from this INI/TOML file: `name = value` for any flag here (not "
               "the routing --config); a flag on the command line wins")
        ->type_name("FILE");
    config_formatter(
        std::make_shared<StrictConfigFormat>([] { return std::make_unique<ServerCommandLine>(); }));
    add_flag("--print-config", flags.print_config,
             "Print the settings in effect as a config file (every setting, with defaults) "
             "and exit")
        ->configurable(false);
  }

  // The --config-file given, "" if none.
  std::string config_file() const {
    const CLI::Option* option = get_config_ptr();
    return option == nullptr || option->results().empty() ? "" : option->results().front();
  }

  Flags flags;
};

Result<std::shared_ptr<const catalog::Catalog>> PrepareCatalog(storage::Store& store,
                                                               const Flags& f) {
  if (!f.tracks.empty()) {
    auto catalog = catalog::Catalog::LoadJsonLines(f.tracks);
    if (!catalog.ok()) return catalog.status();
    BOTIFY_RETURN_IF_ERROR(store.PutCatalog(*catalog));
  }
  auto catalog = store.LoadCatalog();
  if (!catalog.ok()) {
    return catalog.status().WithContext(
        "no catalog in the database; start once with --tracks tracks.json");
  }
  return std::make_shared<const catalog::Catalog>(std::move(*catalog));
}

Status WritePortFile(const std::string& path, unsigned short port) {
  if (path.empty()) return Status::Ok();
  return WriteFileAtomically(path, std::to_string(port) + "\n");  // never half-written
}

int Fail(const Status& s) {
  fmt::print(stderr, "botify-server: {}\n", s.ToString());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

// Notifies the service manager (Type=notify): READY=1 once the listeners accept and the
// indexes are open, RELOADING=1 and READY=1 around a SIGHUP reload, STOPPING=1 when the
// drain begins, and WATCHDOG=1 while every API worker runs (WatchdogKeepalive).
int Serve(Flags& f, ReadinessNotifier& notifier) {
  // Signals are caught from the first moment: one that arrives while the store opens or
  // the listener starts waits in the set and is handled once the server runs (a SIGTERM
  // right after the port file appears still drains and flushes the log).
  boost::asio::io_context signals_ioc;
  boost::asio::signal_set signals(signals_ioc, SIGINT, SIGTERM, SIGHUP);
  f.log.max_segment_age = std::chrono::seconds(f.log_age_seconds);
  f.log.flush_interval = std::chrono::milliseconds(f.log_flush_ms);
  f.server.limits.read_timeout = std::chrono::milliseconds(f.read_timeout_ms);
  f.server.limits.write_timeout = std::chrono::milliseconds(f.write_timeout_ms);
  f.sessions.idle_timeout_ms = static_cast<std::int64_t>(f.session_idle_seconds) * 1000;
  f.server.admin_enabled = !f.no_admin;
  if (Status s = f.sessions.Validate(); !s.ok()) return Fail(s);
  auto store = storage::Store::Open(f.store);
  if (!store.ok()) return Fail(store.status());
  auto catalog = PrepareCatalog(**store, f);
  if (!catalog.ok()) return Fail(catalog.status());
  const int threads = f.server.EffectiveThreads();
  std::unique_ptr<eventlog::EventLogWriter> log;
  if (!f.no_log) {
    auto started = eventlog::EventLogWriter::Start(f.log, threads);
    if (!started.ok()) return Fail(started.status());
    log = std::move(*started);
  }
  Metrics metrics(threads);
  Service service(*catalog, store->get(), &metrics, log.get(), f.sessions);
  if (Status s = service.LoadStoredIndexes(); !s.ok()) return Fail(s);
  auto load_config = [&](Service::MissingIndexes missing) -> Status {
    if (f.config.empty()) return Status::Ok();
    auto config = serving::RoutingConfig::Load(f.config);
    if (!config.ok()) return config.status();
    return service.ReloadConfig(*config, missing).WithContext(f.config);
  };
  if (Status s = load_config(Service::MissingIndexes::kWarn); !s.ok()) return Fail(s);

  AdminOptions admin_options;
  admin_options.loopback_only = !f.admin_any_peer;
  admin_options.staging_dir = f.store.path + ".staging";
  admin_options.import_dir = f.admin_import_dir;
  admin_options.staging_headroom_bytes = f.store.ingest_headroom_bytes;
  if (f.server.admin_enabled) {
    const std::string token_file =
        f.token_file.empty()
            ? (std::filesystem::path(f.store.path).parent_path() / "admin.token").string()
            : f.token_file;
    auto token = ReadOrCreateToken(token_file);
    if (!token.ok()) return Fail(token.status());
    admin_options.token = *token;
  }
  ApiHandler api(service);
  AdminHandler admin(service, admin_options);
  Server server(f.server, service, api, &admin);
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  if (Status s = WritePortFile(f.port_file, server.port()); !s.ok()) return Fail(s);
  if (Status s = WritePortFile(f.admin_port_file, server.admin_port()); !s.ok()) return Fail(s);
  fmt::print("botify-server: {} tracks, {} threads, listening on http://{}:{}", (*catalog)->size(),
             threads, f.server.address, server.port());
  if (f.server.admin_enabled)
    fmt::print(" (admin on {}:{})", f.server.admin_address, server.admin_port());
  fmt::print("\n");
  std::fflush(stdout);
  const std::string serving = fmt::format("serving {} tracks on {}:{}", (*catalog)->size(),
                                          f.server.address, server.port());
  if (Status s = notifier.Ready(serving); !s.ok()) {
    fmt::print(stderr, "botify-server: {}\n", s.ToString());
  }
  WatchdogKeepalive keepalive(signals_ioc, notifier, [&server] { return server.ProbeWorkers(); });
  keepalive.Start();

  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        if (sig == SIGHUP) {
          (void)notifier.Reloading();
          Status s = load_config(Service::MissingIndexes::kRefuse);
          fmt::print(stderr, "botify-server: SIGHUP: config {}\n",
                     s.ok() ? "reloaded" : "refused, the old one keeps serving: " + s.ToString());
          (void)notifier.Ready(serving + (s.ok() ? "; config reloaded" : "; config refused"));
          signals.async_wait(on_signal);
          return;
        }
        fmt::print(stderr, "botify-server: signal {}: draining\n", sig);
        keepalive.Stop();
        (void)notifier.Stopping("draining");
      };
  signals.async_wait(on_signal);
  signals_ioc.run();
  server.Stop();
  if (log) {
    log->Stop();
    const auto s = log->stats();
    fmt::print(stderr, "botify-server: stopped; {} events logged, {} segments sealed\n", s.events,
               s.segments_sealed);
    int code = 0;
    if (s.lost_events > 0) {
      fmt::print(stderr,
                 "botify-server: ERROR: {} answered events ({} bytes) are in no log segment of "
                 "this server (the errors above say why: a log disk that never took them, or a "
                 "segment or log folder removed or moved from under the server)\n",
                 s.lost_events, s.lost_bytes);
      code = 1;
    }
    if (s.unsealed_segments > 0) {
      fmt::print(stderr,
                 "botify-server: ERROR: {} segments could not be sealed (the errors above say "
                 "why); they stay in {} and the next start seals them\n",
                 s.unsealed_segments, eventlog::ActiveDir(f.log.dir));
      code = 1;
    }
    return code;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ServerCommandLine cli;
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);  // --help
    // A config file's mistake names the file and its line ("line 3: unknown setting ...").
    const bool in_file = dynamic_cast<const CLI::ConfigError*>(&e) != nullptr;
    fmt::print(stderr, "botify-server: {}{}\nRun with --help for more information.\n",
               in_file ? cli.config_file() + ": " : "", e.what());
    return 2;
  }
  if (cli.flags.print_config) {
    fmt::print("{}", EffectiveConfig(cli, kConfigHeader));
    return 0;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // A file-size limit (ulimit -f) must be a write error the log retries, not a kill.
  std::signal(SIGXFSZ, SIG_IGN);
  auto notifier = ReadinessNotifier::Create(NotifyEnvironment::FromProcess(), ::getpid());
  if (!notifier.ok()) {
    fmt::print(stderr, "botify-server: not notifying the service manager: {}\n",
               notifier.status().ToString());
    notifier = ReadinessNotifier();
  }
  return Serve(cli.flags, *notifier);
}
