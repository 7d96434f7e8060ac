// The trainers' ranking step with its progress bar and summary line, shared by `train
// contextual` and `train session` (both rank targets after every context track with
// engine/train/contextual/target_ranker.h).
#pragma once

#include "engine/train/contextual/target_ranker.h"

namespace botify::tools {

// Runs RankTargets; unless `quiet`, shows a progress bar over the model's trained
// contexts and then "<command>: ranked N candidates per track <how> in S s". A failure
// ends the command (ExitIfError).
void RankTargetsWithProgress(const char* command, const train::contextual::ContextualModel& model,
                             const train::contextual::RankOptions& options, bool quiet,
                             const train::contextual::RankedSink& sink);

}  // namespace botify::tools
