#include "tools/admin_flags.h"

#include <fmt/format.h>

#include "tools/command.h"

namespace botify::tools {

void AddAdminFlags(CLI::App* cmd, AdminFlags& f, bool offline_db) {
  cmd->add_option("--server", f.servers, "Admin address of each server (repeatable)")
      ->capture_default_str();
  cmd->add_option("--token-file", f.token_file, "Admin token file")->capture_default_str();
  if (offline_db) {
    cmd->add_option("--db", f.db, "Work on this database directly instead (server stopped)");
  }
  cmd->add_option("--timeout", f.timeout_seconds, "Per-server timeout, seconds")
      ->capture_default_str();
}

void ForEachServer(const std::string& command, const AdminFlags& f,
                   const std::function<Status(const AdminClient&, const AdminTarget&)>& call) {
  auto token = ReadTokenFile(f.token_file);
  ExitIfError(command, token.status());
  AdminClient client(*token, std::chrono::seconds(f.timeout_seconds));
  int failures = 0;
  for (const auto& server : f.servers) {
    auto target = ParseAdminTarget(server);
    ExitIfError(command, target.status());
    if (Status s = call(client, *target); !s.ok()) {
      fmt::print(stderr, "botify {}: {}: {}\n", command, target->label, s.ToString());
      ++failures;
    }
  }
  if (failures > 0) {
    fmt::print(stderr, "botify {}: {} of {} servers failed\n", command, failures, f.servers.size());
    throw CommandFailed(1);
  }
}

}  // namespace botify::tools
