// The `botify train` command group. Each trainer adds its subcommands under it; the
// group is created by whichever registers first, so trainers need not know each other.
#pragma once

#include <CLI/CLI.hpp>

namespace botify::tools {

// The `train` subcommand of `app`, created on first use.
CLI::App* TrainCommand(CLI::App& app);

}  // namespace botify::tools
