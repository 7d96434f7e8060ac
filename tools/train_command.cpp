#include "tools/train_command.h"

namespace botify::tools {

CLI::App* TrainCommand(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == "train") return sub;
  }
  CLI::App* train = app.add_subcommand("train", "Train recommenders from event logs");
  train->require_subcommand(1);
  return train;
}

}  // namespace botify::tools
