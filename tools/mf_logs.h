// Loading the docs/contracts.md §10 model-based interactions from a folder of event logs, with
// progress and a summary on stderr; shared by `train mf` and `train search`.
#pragma once

#include <string>

#include "base/status.h"
#include "engine/train/mf/interaction_split.h"

namespace botify::tools {

// Reads every event log under `logs` (engine/eventlog/event_log_reader.h; bad lines and
// truncated files skipped and reported, or with `strict` the first one fails) and builds
// the filtered train/test split.
Result<train::mf::InteractionSplit> LoadMfInteractions(
    const std::string& command, const std::string& logs, bool strict,
    const train::mf::InteractionSplitOptions& options);

}  // namespace botify::tools
