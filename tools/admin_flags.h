// Flags shared by every subcommand that talks to running servers' admin endpoints, and
// the loop that runs one call per server with a report line per host.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "tools/admin_client.h"

namespace botify::tools {

struct AdminFlags {
  std::vector<std::string> servers{"http://127.0.0.1:5002"};
  std::string token_file = "data/admin.token";
  std::string db;  // offline mode: the database of a stopped server (where supported)
  int timeout_seconds = 120;
};

// --server (repeatable), --token-file, --timeout; and --db when `offline_db`.
void AddAdminFlags(CLI::App* cmd, AdminFlags& f, bool offline_db = true);

// Runs `call` against each server; prints failures per host; throws CommandFailed if any
// host failed.
void ForEachServer(const std::string& command, const AdminFlags& f,
                   const std::function<Status(const AdminClient&, const AdminTarget&)>& call);

}  // namespace botify::tools
