// `botify train top`: the popularity ranking TopPop serves from (docs/contracts.md §5), written as
// a one-line recommendations file {"user": 0, "tracks": [most played first]} to load as an index
// (default name "top") with `botify index build/load`.
#include <fmt/core.h>

#include <memory>

#include "engine/catalog/recommendations_file_writer.h"
#include "engine/eventlog/event_consumer.h"
#include "engine/eventlog/event_log_reader.h"
#include "engine/train/top/play_counts.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/train_command.h"

namespace botify::tools {

void AddTrainTopCommand(CLI::App& app) {
  struct Flags {
    std::string logs, out;
    std::size_t top_n = 1000;
    bool strict = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = TrainCommand(app)->add_subcommand(
      "top", "Most played tracks from event logs, for the toppop recommender");
  cmd->add_option("--logs", f->logs, "Event log folder (any nesting) or file")->required();
  cmd->add_option("--out", f->out, "Recommendations file to write (one line, key 0)")->required();
  cmd->add_option("--top-n", f->top_n, "Tracks in the ranking")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddStrictFlag(cmd, &f->strict);
  cmd->callback([f] {
    eventlog::EventLogReader reader(LogReaderOptions(f->strict));
    train::top::PlayCounts counts;
    ExitIfError("train top", eventlog::ReadInto(reader, f->logs, counts));
    ExitIfError("train top", CheckLogInput("train top", f->logs, reader.stats()));
    const auto top = counts.Top(f->top_n);
    auto out = catalog::RecommendationsFileWriter::Open(f->out);
    ExitIfError("train top", out.status());
    ExitIfError("train top", out->Add(catalog::ListKey::kUser, 0, top));
    ExitIfError("train top", out->Commit());
    fmt::print(stderr, "{}; {} distinct tracks played; wrote the top {} to {}\n",
               reader.stats().Summary(), counts.distinct_tracks(), top.size(), f->out);
  });
}

}  // namespace botify::tools
