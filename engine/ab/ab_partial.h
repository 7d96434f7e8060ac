// One shard's part of an A/B analysis, and the merge of every shard's part into exactly the
// input the single-machine run analyses (docs/ab.md "Sharded: --shard, --partial, --merge").
//
// A shard (`botify ab --shard I/N --partial OUT`) reads every log file but sessionizes only
// the users that KeyShard I/N owns (base/key_shard.h). A user's sessions depend on that
// user's rows alone, so each (user, arm)'s totals in a shard are bit for bit the
// single-machine run's. The partial carries them, per (user, arm), with every closed
// session's (tracks, time) and, with a pre-period, the shard's users' pre-period totals.
// Nothing in a partial is a sum over users.
//
// The merge puts the (user, arm) totals of all N partials back in (user, arm) order and
// recomputes everything summed over users from them, in that order, with the code the
// Sessionizer uses (SessionizedLog::RecountFromSessions): per-arm users, sessions and rows,
// and the per-session-index series. Counts over rows combine as their definition says:
// rows_read, the malformed lines and the experiments seen are over every row, so every
// shard has the whole input's and the merge checks they agree (a shard that read other
// files is refused); the drops (no experiment, unknown arm, after the final last) are over
// a shard's own users and add up. The merged log and pre-period are therefore equal to the
// single-machine Sessionizer's, and AnalyzeExperiment on them is the same computation on
// the same values: the report is identical to the last bit, decision included.
//
// File format (text, version 1; gzip accepted on read): a JSON header line, then one line
// per (user, arm), ascending,
//   u <user> <arm> <sessions> <tracks> <time> <latency_ms> (<tracks_k> <time_k>){sessions}
// then one line per pre-period user, ascending,
//   p <user> <sessions> <tracks> <time> <latency_ms>
// Doubles are written in the shortest form that reads back to the same bits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/key_shard.h"
#include "base/status.h"
#include "engine/ab/sessionizer.h"

namespace botify::ab {

struct AbPartial {
  std::string experiment;
  KeyShard shard{};      // {0, 1} for a merged set
  std::string logs;      // --logs as given, named in the report's errors
  std::string pre_logs;  // --pre-logs as given; "" without a pre-period
  // The shard's sessionized log, with `sessions` kept (SessionizerOptions::keep_sessions).
  SessionizedLog log{};
  // With a pre-period: the shard's users' pre-period totals (every row as arm C); the
  // merge fills `totals`, `arms[0]`, `rows_read` and the malformed lines only.
  std::optional<SessionizedLog> pre_period{};
};

// Writes `partial` to `path` atomically (a temporary file renamed into place). IoError
// naming the file.
Status WriteAbPartial(const std::string& path, const AbPartial& partial);

// Reads a file written by WriteAbPartial. InvalidArgument naming the file, the line and
// the field for anything malformed, truncated or of another version.
Result<AbPartial> ReadAbPartial(const std::string& path);

// Merges the partials of one sharded run into the whole run's (shard 0/1). `names[i]`
// names partials[i] in errors (its file). InvalidArgument when they are not exactly shards
// 0..N-1 of one N, disagree on the experiment, the logs, the pre-period, the rows read, the
// malformed lines or the experiments seen, or share a user.
Result<AbPartial> MergeAbPartials(std::vector<AbPartial> partials,
                                  const std::vector<std::string>& names);

}  // namespace botify::ab
