#include "tools/mf_logs.h"

#include <fmt/core.h>

#include "engine/eventlog/event_consumer.h"
#include "engine/eventlog/event_log_reader.h"
#include "tools/log_input.h"

namespace botify::tools {

Result<train::mf::InteractionSplit> LoadMfInteractions(
    const std::string& command, const std::string& logs, bool strict,
    const train::mf::InteractionSplitOptions& options) {
  eventlog::EventLogReader reader(LogReaderOptions(strict));
  reader.set_on_file_done([](const std::string& path, const eventlog::EventLogStats& stats) {
    fmt::print(stderr, "read {} ({})\n", path, stats.Summary());
  });
  train::mf::PositiveCollector collector{options, {}};
  BOTIFY_RETURN_IF_ERROR(eventlog::ReadInto(reader, logs, collector));
  const eventlog::EventLogStats& stats = reader.stats();
  BOTIFY_RETURN_IF_ERROR(CheckLogInput(command, logs, stats));
  auto split = train::mf::BuildInteractionSplit(std::move(collector.positives), options);
  if (!split.ok()) return split.status().WithContext(logs);
  const train::mf::SplitCounts& c = split->counts;
  fmt::print(stderr,
             "{}: {} unique positives (time > {}); split {} train / {} test; kept {} users and "
             "{} tracks with >= {}/{} train positives: {} train / {} test\n",
             stats.Summary(), c.positives, options.positive_threshold, c.train_unfiltered,
             c.test_unfiltered, split->n_users(), split->n_items(), options.min_user_positives,
             options.min_item_positives, c.train, c.test);
  return split;
}

}  // namespace botify::tools
