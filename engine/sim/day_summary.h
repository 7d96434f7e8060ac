// Per-day statistics of a simulation run (docs/contracts.md §8): mean and standard error of reward
// and steps, printed as a markdown table; per-episode JSON lines for --episodes-out.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "engine/sim/episode.h"

namespace botify::sim {

struct MeanSe {
  double mean = 0;
  double se = 0;  // sample standard deviation / sqrt(n); 0 when n < 2
};

MeanSe ComputeMeanSe(std::span<const double> values);

struct DaySummary {
  int day = 0;  // 1-based
  std::size_t episodes = 0;
  MeanSe reward;
  MeanSe steps;
  std::size_t truncated = 0;
};

DaySummary Summarize(int day, std::span<const EpisodeResult> results);

// "| day | episodes | reward (mean ± se) | steps (mean ± se) |" and its separator line.
std::string MarkdownHeader();
// "| 1 | 1000 | 1.234 ± 0.056 | 6.70 ± 0.12 |" (with a truncated count if any).
std::string MarkdownRow(const DaySummary& s);

// {"day": 1, "episode": 17, "user": 5, "interest": 42, "reward": 1.25, "steps": 7,
//  "truncated": false} and '\n'.
void AppendEpisodeJson(std::string* out, int day, const EpisodeResult& r);

}  // namespace botify::sim
