#include "engine/sim/day_summary.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace botify::sim {

MeanSe ComputeMeanSe(std::span<const double> values) {
  MeanSe out;
  const std::size_t n = values.size();
  if (n == 0) return out;
  double sum = 0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(n);
  if (n < 2) return out;
  double ss = 0;
  for (double v : values) ss += (v - out.mean) * (v - out.mean);
  out.se = std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
  return out;
}

DaySummary Summarize(int day, std::span<const EpisodeResult> results) {
  DaySummary s;
  s.day = day;
  s.episodes = results.size();
  std::vector<double> rewards, steps;
  rewards.reserve(results.size());
  steps.reserve(results.size());
  for (const EpisodeResult& r : results) {
    rewards.push_back(r.reward);
    steps.push_back(r.steps);
    s.truncated += r.truncated ? 1 : 0;
  }
  s.reward = ComputeMeanSe(rewards);
  s.steps = ComputeMeanSe(steps);
  return s;
}

std::string MarkdownHeader() {
  return "| day | episodes | reward (mean ± se) | steps (mean ± se) |\n"
         "|---:|---:|---:|---:|\n";
}

std::string MarkdownRow(const DaySummary& s) {
  std::string row = fmt::format("| {} | {} | {:.3f} ± {:.3f} | {:.2f} ± {:.2f} |", s.day,
                                s.episodes, s.reward.mean, s.reward.se, s.steps.mean, s.steps.se);
  if (s.truncated > 0) row += fmt::format(" ({} truncated at max steps)", s.truncated);
  return row + "\n";
}

void AppendEpisodeJson(std::string* out, int day, const EpisodeResult& r) {
  fmt::format_to(std::back_inserter(*out),
                 "{{\"day\": {}, \"episode\": {}, \"user\": {}, \"interest\": {}, \"reward\": {}, "
                 "\"steps\": {}, \"truncated\": {}}}\n",
                 day, r.index, r.user, r.interest, r.reward, r.steps, r.truncated);
}

}  // namespace botify::sim
