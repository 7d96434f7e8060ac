// Event logs of simulated listening sessions for the trainers' CLI tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "engine/catalog/catalog.h"
#include "engine/eventlog/event.h"
#include "tests/test_support.h"

namespace botify::testing {

// One event line (experiment AA, arm C); `recommendation` echoes the track on "next".
std::string EventLine(eventlog::EventKind kind, std::int64_t ts, UserId user, TrackId track,
                      double time);

// `botify ARGS...` (the CLI built beside the tests); its stdout and stderr in *output.
int Botify(std::vector<std::string> args, std::string* output);

// The arguments of a trainer's run on SmallWorldWithLogs(dir): `train TRAINER --logs
// dir/logs --tracks dir/world/tracks.json --out dir/NAME.jsonl`, then `options` (the
// test's fixed choices), then `extra` (what one call varies).
std::vector<std::string> TrainArgs(const TempDir& dir, const std::string& trainer,
                                   const std::string& name, std::vector<std::string> options,
                                   const std::vector<std::string>& extra);

// 3,000 random sessions over the catalog, 9 plays each: the time is high (0.9) when the
// track's artist id has the parity of the first track's (a taste a model can learn), low
// (0.05) otherwise. Split over two files under dir/logs, one nested.
void WriteSessionLogs(const TempDir& dir, const catalog::Catalog& catalog);

// The small world (`botify world gen --preset small` into dir/world), with
// WriteSessionLogs under dir/logs; returns its catalog.
catalog::Catalog SmallWorldWithLogs(const TempDir& dir);

}  // namespace botify::testing
