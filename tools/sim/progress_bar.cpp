#include "tools/sim/progress_bar.h"

#include <fmt/core.h>

namespace botify::tools {

ProgressBar::ProgressBar(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total == 0 ? 1 : total),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(std::uint64_t done) {
  last_done_ = done;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done);
}

void ProgressBar::Draw(std::uint64_t done) {
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * std::min(done, total_) / total_);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  fmt::print(stderr, "\r{} [{}{}] {}/{} {}, {:.1f} s", label_, std::string(filled, '#'),
             std::string(kWidth - filled, '.'), done, total_, unit_, elapsed.count());
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  Draw(last_done_);
  fmt::print(stderr, "\n");
}

}  // namespace botify::tools
