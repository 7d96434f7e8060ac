// Event logs with planted structure, for tests and benchmarks of the trainers.
// Users and tracks fall into `groups` taste groups (user u and track t in group
// u % groups and t % groups); each user's rows are mostly tracks of their own group,
// popularity-skewed within it, and those are listened through (time >= 0.85); rows on
// other groups' tracks are mostly skipped. A model that finds the groups beats the
// popularity baseline by a wide margin.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/eventlog/event.h"

namespace botify::train::mf {

struct SyntheticLogOptions {
  std::uint32_t users = 1000;
  std::uint32_t tracks = 500;
  std::uint32_t groups = 10;
  std::uint32_t rows_per_user = 40;
  // Share of a user's rows on tracks of their own group. Default 0.8.
  double in_group_share = 0.8;
  // Share of out-of-group rows that are still listened through (noise). Default 0.2.
  double noise_positive_share = 0.2;
  std::uint64_t seed = 1;
};

// Rows in timestamp order; "next" rows only, no experiments.
std::vector<eventlog::Event> MakeSyntheticEvents(const SyntheticLogOptions& options);

// Writes the rows as docs/contracts.md §7 event lines to `path`.
Status WriteEventLog(const std::vector<eventlog::Event>& events, const std::string& path);

}  // namespace botify::train::mf
