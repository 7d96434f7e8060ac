#include "engine/serving/experiment.h"

#include <charconv>

#include "base/murmur3.h"

namespace botify::serving {
Result<Experiment> Experiment::Create(std::string name, int split) {
  if (name.empty()) return Status::InvalidArgument("experiment name is empty");
  if (split < 2 || split > kMaxArms) {
    return Status::InvalidArgument("experiment " + name + ": split " + std::to_string(split) +
                                   " is outside [2, " + std::to_string(kMaxArms) + "]");
  }
  const std::uint32_t seed = MurmurHash3_x86_32(name, 0);
  return Experiment(std::move(name), split, seed);
}

int Experiment::Assign(UserId user) const {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), user);
  (void)ec;  // 16 chars always hold a uint32
  const std::uint32_t h = MurmurHash3_x86_32(std::string_view(digits, end - digits), seed_);
  return static_cast<int>(h % static_cast<std::uint32_t>(split_));
}

}  // namespace botify::serving
