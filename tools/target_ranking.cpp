#include "tools/target_ranking.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "engine/dense/index.h"
#include "tools/command.h"
#include "tools/sim/progress_bar.h"

namespace botify::tools {

void RankTargetsWithProgress(const char* command, const train::contextual::ContextualModel& model,
                             const train::contextual::RankOptions& options, bool quiet,
                             const train::contextual::RankedSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<ProgressBar> bar;
  const auto contexts = static_cast<std::size_t>(
      std::count(model.trained_context.begin(), model.trained_context.end(), true));
  if (!quiet) bar.emplace(fmt::format("{}: ranking", command), contexts, "tracks");
  const Status status =
      train::contextual::RankTargets(model, options, sink, [&](std::size_t done, std::size_t) {
        if (bar) bar->Update(done);
      });
  if (bar) bar->Finish();
  ExitIfError(command, status);
  if (!quiet) {
    fmt::print(stderr, "{}: ranked {} candidates per track ({}) in {:.2f} s\n", command,
               options.depth, dense::Describe(options.index),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

}  // namespace botify::tools
