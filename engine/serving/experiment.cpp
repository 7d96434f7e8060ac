#include "engine/serving/experiment.h"

#include <array>
#include <charconv>

#include "base/murmur3.h"

namespace botify::serving {
namespace {
constexpr std::array<std::string_view, kMaxArms> kArmNames = {"C",  "T1", "T2", "T3", "T4",
                                                              "T5", "T6", "T7", "T8"};
}

std::string_view ArmName(int arm) {
  return arm >= 0 && arm < kMaxArms ? kArmNames[arm] : std::string_view("?");
}

int ArmIndex(std::string_view name) {
  for (int i = 0; i < kMaxArms; ++i) {
    if (kArmNames[i] == name) return i;
  }
  return -1;
}

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
