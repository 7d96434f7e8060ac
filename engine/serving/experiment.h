// A/B experiment assignment, exactly as docs/contracts.md §4: the arm of user u in experiment
// `name` with split n is MurmurHash3_x86_32(decimal(u), MurmurHash3_x86_32(name, 0)) % n.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/status.h"
#include "engine/eventlog/event.h"

namespace botify::serving {

// The arms' names are the event line's vocabulary (engine/eventlog/event.h); serving
// speaks it too.
using eventlog::ArmIndex;
using eventlog::ArmName;
using eventlog::kMaxArms;

// Thread-safe: immutable after construction; Assign costs one short hash.
class Experiment {
 public:
  // `split` must be in [2, kMaxArms]; the name must be non-empty.
  static Result<Experiment> Create(std::string name, int split);

  const std::string& name() const { return name_; }
  int split() const { return split_; }
  std::uint32_t seed() const { return seed_; }

  // Arm index in [0, split).
  int Assign(UserId user) const;

 private:
  Experiment(std::string name, int split, std::uint32_t seed)
      : name_(std::move(name)), split_(split), seed_(seed) {}

  std::string name_;
  int split_;
  std::uint32_t seed_;  // MurmurHash3_x86_32(name_, 0)
};

}  // namespace botify::serving
