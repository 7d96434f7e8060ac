// Every subcommand of the `botify` CLI registers itself on the root CLI11 app through one
// Add*Command function, declared here and called from tools/main.cpp. A command parses
// its flags into its component's options struct and reports failure by throwing
// CommandFailed after printing a clear error (what was wrong and where).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "base/status.h"

namespace botify::tools {

// Exits the CLI with `code` after the command printed its own error.
struct CommandFailed : CLI::RuntimeError {
  explicit CommandFailed(int code = 1) : CLI::RuntimeError(code) {}
};

// Prints "botify <command>: <status>" to stderr and throws CommandFailed if !status.ok().
void ExitIfError(const std::string& command, const Status& status);

// `botify world gen|check` (tools/world_command.cpp).
void AddWorldCommand(CLI::App& app);
// `botify world check`, registered on the `world` subcommand (tools/world_check_command.cpp).
void AddWorldCheckCommand(CLI::App* world);
// `botify sim` (tools/sim_command.cpp).
void AddSimCommand(CLI::App& app);
// `botify index build|load|status` (tools/index_command.cpp).
void AddIndexCommand(CLI::App& app);
// `botify config push` (tools/index_command.cpp).
void AddConfigCommand(CLI::App& app);
// `botify logs ship` (tools/logs_command.cpp).
void AddLogsCommand(CLI::App& app);
// `botify train ub` (tools/train_ub_command.cpp).
void AddTrainUbCommand(CLI::App& app);
// `botify ab`: A/B analyzer (tools/ab_command.cpp).
void AddAbCommand(CLI::App& app);
// `botify train mf` and `botify train mf-export` (tools/train_mf_command.cpp).
void AddTrainMfCommands(CLI::App& app);
// `botify train top` (tools/train_top_command.cpp).
void AddTrainTopCommand(CLI::App& app);
// `botify train search` (tools/train_search_command.cpp).
void AddTrainSearchCommand(CLI::App& app);
// `botify train contextual` (tools/train_contextual_command.cpp).
void AddTrainContextualCommand(CLI::App& app);
// `botify train session` (tools/train_session_command.cpp).
void AddTrainSessionCommand(CLI::App& app);

}  // namespace botify::tools
