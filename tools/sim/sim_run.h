// `botify sim`: runs days of simulated sessions against a server (HTTP) or an in-process
// policy, printing a markdown table of per-day results on stdout.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "base/status.h"
#include "engine/sim/simulator.h"
#include "tools/sim/http_driver.h"

namespace botify::tools {

struct SimRunOptions {
  std::string world_dir;  // holds tracks.json, tracks.npy, users.json
  // The embeddings file; empty: the world's tracks.npy or embeddings.npy (world::FindEmbeddings).
  std::string embeddings;
  std::uint64_t episodes = 1000;  // per day
  int days = 1;
  // Empty: drive the server over HTTP. Else "random", "oracle" or "history".
  std::string in_process;
  // Shell command run between days (e.g. retrain and reload); a failure stops the run.
  std::string between_days;
  bool pause = false;        // wait for Enter on stdin between days
  std::string episodes_out;  // per-episode JSON lines, if set
  bool progress = true;      // progress bar on stderr
  // Apply the world's drift.json / drift.npy (engine/world/appeal_drift.h); an error if
  // the world has none. Off: the original's static world, whatever files are present.
  bool drift = false;
  sim::SimulatorOptions sim;  // seed, max_steps
  HttpDriverOptions http;

  Status Validate() const;
};

// Runs the whole simulation; writes the table to `out`. Day d (1-based) runs episode
// indices (d - 1) * episodes .. d * episodes - 1.
Status RunSimulation(const SimRunOptions& options, std::FILE* out);

}  // namespace botify::tools
