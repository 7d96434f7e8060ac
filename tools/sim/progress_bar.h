// A progress bar on stderr for long CLI jobs: "\rday 1/3 [#####.....] 512/1000 episodes, 3.2 s".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace botify::tools {

// Thread-compatible: call from one thread (the one that owns the run).
class ProgressBar {
 public:
  // `label` prefixes the bar ("day 1/3"); `total` > 0; `unit` names what is counted.
  ProgressBar(std::string label, std::uint64_t total, std::string unit = "episodes");
  // Redraws at most every 100 ms (and always when done == total).
  void Update(std::uint64_t done);
  // Draws the final state and ends the line.
  void Finish();

 private:
  void Draw(std::uint64_t done);

  std::string label_;
  std::string unit_;
  std::uint64_t total_;
  std::uint64_t last_done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace botify::tools
