// botify: the offline half of the loop (world, simulator, trainers, index admin, log
// shipping, A/B analysis). Only this file and the command files parse flags.
#include <CLI/CLI.hpp>

#include "tools/command.h"

int main(int argc, char** argv) {
  CLI::App app{"botify: offline tools for the botify recommender service"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  botify::tools::AddWorldCommand(app);
  botify::tools::AddSimCommand(app);
  botify::tools::AddIndexCommand(app);
  botify::tools::AddConfigCommand(app);
  botify::tools::AddLogsCommand(app);
  botify::tools::AddTrainUbCommand(app);
  botify::tools::AddAbCommand(app);
  botify::tools::AddTrainMfCommands(app);
  botify::tools::AddTrainSearchCommand(app);
  botify::tools::AddTrainTopCommand(app);
  botify::tools::AddTrainContextualCommand(app);
  botify::tools::AddTrainSessionCommand(app);
  app.footer(
      "Exit status (every subcommand): 0 success; 1 the run failed (I/O error, corrupt data, "
      "a server not reachable or refusing); 2 bad usage or bad input (a bad flag, no events "
      "under --logs, a malformed line or truncated file under --strict).");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the parse error
    // A command's own failure (CommandFailed) carries its code; CLI11's parse errors have
    // codes of their own (105, 106, ...), all of which are bad usage here.
    if (code == 0 || dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr) return code;
    return 2;
  }
  return 0;
}
