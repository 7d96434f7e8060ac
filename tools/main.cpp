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
  CLI11_PARSE(app, argc, argv);
  return 0;
}
