// `botify index build|load|status` and `botify config push`: the admin side of the index
// lifecycle (docs/contracts.md §6). Build offline, then load into running servers (or into a
// stopped server's database with --db).
#include <fmt/format.h>

#include <boost/json.hpp>
#include <boost/url/url.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/file.h"
#include "engine/serving/routing_config.h"
#include "storage/index_builder.h"
#include "storage/store.h"
#include "tools/admin_flags.h"
#include "tools/command.h"

namespace botify::tools {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string FormatTime(std::int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string StatusRow(const std::string& host, const storage::IndexMeta& m) {
  return fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |", host, m.name, m.generation,
                     catalog::ListKeyName(m.key), m.lists, m.tracks, FormatTime(m.loaded_at_ms),
                     m.source_crc32);
}

constexpr const char* kStatusHeader =
    "| host | index | generation | key | lists | tracks | loaded (UTC) | source crc32 |\n"
    "|---|---|---|---|---|---|---|---|";

std::unique_ptr<storage::Store> OpenStoreOrExit(const std::string& command, const std::string& db) {
  auto store = storage::Store::Open({db});
  ExitIfError(command,
              store.status().WithContext("cannot open " + db +
                                         " (is a server running on it? use --server instead)"));
  return std::move(*store);
}

void AddBuild(CLI::App& index) {
  struct Flags {
    std::string recs, tracks, out, session_model, on_error = "reject", duplicates = "reject";
  };
  auto f = std::make_shared<Flags>();
  auto* cmd =
      index.add_subcommand("build", "Build an ingestible SST file from a recommendations file");
  cmd->add_option("--recs", f->recs, "Recommendations file (JSON lines, docs/contracts.md §6)")
      ->required();
  cmd->add_option("--tracks", f->tracks, "tracks.json to validate track ids against")->required();
  cmd->add_option("--out", f->out, "SST file to write")->required();
  cmd->add_option("--session-model", f->session_model,
                  "Session model file (`train session --model-out`) to carry beside the lists: "
                  "serves session_model:NAME; the lists must be keyed by track");
  cmd->add_option("--on-error", f->on_error,
                  "reject: any bad line rejects the file; skip: skip bad lines")
      ->check(CLI::IsMember({"reject", "skip"}))
      ->capture_default_str();
  cmd->add_option("--duplicates", f->duplicates,
                  "A key listed twice: reject, first (wins) or last (wins)")
      ->check(CLI::IsMember({"reject", "first", "last"}))
      ->capture_default_str();
  cmd->callback([f] {
    auto catalog = catalog::Catalog::LoadJsonLines(f->tracks);
    ExitIfError("index build", catalog.status());
    storage::IndexBuildOptions options;
    options.on_error = f->on_error == "skip" ? storage::IndexBuildOptions::OnError::kSkipLine
                                             : storage::IndexBuildOptions::OnError::kReject;
    using D = storage::IndexBuildOptions::Duplicates;
    options.duplicates = f->duplicates == "first"  ? D::kFirstWins
                         : f->duplicates == "last" ? D::kLastWins
                                                   : D::kReject;
    options.session_model_path = f->session_model;
    options.progress = [](std::size_t lines) { fmt::print(stderr, "\r{} lines read", lines); };
    storage::IndexBuildReport report;
    Status s = storage::BuildIndexSst(f->recs, *catalog, f->out, options, &report);
    if (report.lines >= 100000) fmt::print(stderr, "\n");
    fmt::print(stderr, "{}\n", report.Summary());
    ExitIfError("index build", s.WithContext("rejected, nothing written"));
    std::error_code ec;
    const auto bytes = fs::file_size(f->out, ec);
    ExitIfError(
        "index build",
        ec ? Status::IoError(f->out + ": written but unreadable: " + ec.message()) : Status::Ok());
    fmt::print("wrote {} ({} bytes)\n", f->out, bytes);
  });
}

// Prints one status row per server, with the time the load took there; `call` performs it.
void LoadIntoEachServer(
    const AdminFlags& f, const std::string& what,
    const std::function<Result<std::string>(const AdminClient&, const AdminTarget&)>& call) {
  fmt::print("{}\n", kStatusHeader);
  ForEachServer("index load", f, [&](const AdminClient& client, const AdminTarget& target) {
    const auto start = std::chrono::steady_clock::now();
    auto body = call(client, target);
    if (!body.ok()) return body.status().WithContext(what);
    auto meta = storage::IndexMeta::FromJson(*body);
    if (!meta.ok()) return meta.status();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{} ({:.3f} s)\n", StatusRow(target.label, *meta), seconds);
    return Status::Ok();
  });
}

// The admin target that loads index `name`: from the request body, or with `import` from
// that file of the server's import folder.
std::string LoadTarget(const std::string& name, const std::string& import, bool allow_empty) {
  boost::urls::url target("/admin/index/" + name);
  if (!import.empty()) target.params().append({"import", import});  // percent-encoded as needed
  if (allow_empty) target.params().append({"allow_empty", "true"});
  return std::string(target.buffer());
}

void ImportIntoServers(const AdminFlags& f, const std::string& name, const std::string& file,
                       bool allow_empty) {
  if (!f.db.empty()) {
    throw CLI::ValidationError("index load",
                               "--import is for running servers; with --db use --sst");
  }
  const std::string target = LoadTarget(name, file, allow_empty);
  LoadIntoEachServer(f, "import " + file, [&](const AdminClient& client, const AdminTarget& t) {
    return client.Call(t, "POST", target, "");
  });
}

void AddLoad(CLI::App& index) {
  struct Flags : AdminFlags {
    std::string name, sst, tracks, import;
    bool allow_empty = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = index.add_subcommand(
      "load", "Load an SST into running servers (hot reload) or a stopped server's --db");
  cmd->add_option("--name", f->name, "Index name (e.g. ub, lfm)")->required();
  cmd->add_option("--sst", f->sst, "File from `botify index build`, uploaded")
      ->check(CLI::ExistingFile);
  cmd->add_option("--import", f->import,
                  "Instead of --sst: the name of a file from `botify index build` that is "
                  "already in each server's --admin-import-dir (copied there by rsync or shared "
                  "storage); the server ingests it from its disk");
  cmd->add_option("--tracks", f->tracks,
                  "With --db on a database without a catalog yet: import this tracks.json as "
                  "its catalog first (as botify-server --tracks does)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--allow-empty", f->allow_empty,
                "Accept an index that holds no lists (refused otherwise: its arms would fall "
                "back for every user)");
  AddAdminFlags(cmd, *f);
  cmd->callback([f] {
    if (f->sst.empty() == f->import.empty()) {
      throw CLI::ValidationError("index load", "give one of --sst (upload) or --import");
    }
    if (!f->import.empty()) {
      ImportIntoServers(*f, f->name, f->import, f->allow_empty);
      return;
    }
    if (!f->db.empty()) {
      auto store = OpenStoreOrExit("index load", f->db);
      auto catalog = store->LoadCatalog();
      if (catalog.status().code() == StatusCode::kNotFound && !f->tracks.empty()) {
        catalog = catalog::Catalog::LoadJsonLines(f->tracks);
        ExitIfError("index load", catalog.status());
        ExitIfError("index load", store->PutCatalog(*catalog));
      }
      if (catalog.status().code() == StatusCode::kNotFound) {
        ExitIfError("index load", catalog.status().WithContext(
                                      "the database has no catalog; pass --tracks tracks.json"));
      }
      ExitIfError("index load", catalog.status());
      const std::string copy = f->sst + ".ingest";  // ingestion moves the file it is given
      std::error_code ec;
      fs::copy_file(f->sst, copy, fs::copy_options::overwrite_existing, ec);
      ExitIfError("index load", ec ? Status::IoError("cannot copy " + f->sst + " to " + copy +
                                                     " for ingestion: " + ec.message())
                                   : Status::Ok());
      auto meta = store->IngestIndex(f->name, copy, *catalog, {.allow_empty = f->allow_empty});
      fs::remove(copy, ec);  // ingestion moved it on success; a failure leaves it behind
      ExitIfError("index load", meta.status().WithContext(f->sst));
      store->CollectGarbage();
      fmt::print("{}\n{}\n", kStatusHeader, StatusRow(f->db, *meta));
      return;
    }
    std::string bytes;
    ExitIfError("index load", ReadWholeFile(f->sst, &bytes));
    const std::string target = LoadTarget(f->name, "", f->allow_empty);
    LoadIntoEachServer(*f, f->sst, [&](const AdminClient& client, const AdminTarget& t) {
      return client.Call(t, "POST", target, bytes);
    });
  });
}

void AddStatus(CLI::App& index) {
  auto f = std::make_shared<AdminFlags>();
  auto* cmd = index.add_subcommand(
      "status", "Names, generations, sizes, load times and checksums of the indexes");
  AddAdminFlags(cmd, *f);
  cmd->callback([f] {
    fmt::print("{}\n", kStatusHeader);
    if (!f->db.empty()) {
      auto store = OpenStoreOrExit("index status", f->db);
      auto listed = store->ListIndexes();
      ExitIfError("index status", listed.status());
      for (const auto& m : *listed) fmt::print("{}\n", StatusRow(f->db, m));
      return;
    }
    ForEachServer("index status", *f, [&](const AdminClient& client, const AdminTarget& target) {
      auto body = client.Call(target, "GET", "/admin/status", "");
      if (!body.ok()) return body.status();
      boost::system::error_code ec;
      auto status = json::parse(*body, ec);
      if (ec || !status.is_object() || !status.as_object().contains("indexes")) {
        return Status::Corruption("unexpected status reply: " + body->substr(0, 200));
      }
      for (const auto& index : status.at("indexes").as_array()) {
        auto meta = storage::IndexMeta::FromJson(json::serialize(index));
        if (!meta.ok()) return meta.status();
        fmt::print("{}\n", StatusRow(target.label, *meta));
      }
      return Status::Ok();
    });
  });
}

}  // namespace

void AddIndexCommand(CLI::App& app) {
  auto* index =
      app.add_subcommand("index", "Build recommendation indexes and load them into servers");
  index->require_subcommand(1);
  AddBuild(*index);
  AddLoad(*index);
  AddStatus(*index);
}

void AddConfigCommand(CLI::App& app) {
  auto* config =
      app.add_subcommand("config", "Experiments/routing configuration of running servers");
  config->require_subcommand(1);
  struct Flags : AdminFlags {
    std::string file;
  };
  auto f = std::make_shared<Flags>();
  auto* push =
      config->add_subcommand("push", "Validate a routing config and make servers use it now");
  push->add_option("--file", f->file, "Config JSON (the routing config of docs/contracts.md §4)")
      ->required()
      ->check(CLI::ExistingFile);
  AddAdminFlags(push, *f, /*offline_db=*/false);
  // The routing config lives in no database: refuse --db by name rather than ignore it
  // (or let CLI11 call it merely "not expected"). Hidden from --help.
  push->add_option("--db", f->db)->group("");
  push->callback([f] {
    if (!f->db.empty()) {
      throw CLI::ValidationError(
          "--db",
          "config push works on running servers only: the routing config is not kept in the "
          "database, a stopped server reads it from its --config file at start (copy " +
              f->file + " there); use --server for running ones");
    }
    auto parsed = serving::RoutingConfig::Load(f->file);
    ExitIfError("config push", parsed.status());
    std::string text;
    ExitIfError("config push", ReadWholeFile(f->file, &text));
    ForEachServer("config push", *f, [&](const AdminClient& client, const AdminTarget& target) {
      auto body = client.Call(target, "POST", "/admin/config", text);
      if (!body.ok()) return body.status();
      fmt::print("{}: config applied (routing: {})\n", target.label,
                 parsed->routing.value_or("none, default recommender"));
      return Status::Ok();
    });
  });
}

}  // namespace botify::tools
