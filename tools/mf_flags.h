// Flags of the MfOptions fields shared by `train mf` and `train search`. A flag given on
// the command line overrides a --params file, which overrides the defaults.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/train/mf/mf_options.h"
#include "engine/train/mf/precision_at_k.h"

namespace botify::tools {

class MfFlags {
 public:
  // Registers --threads, --seed, --k, --eval-users, --patience, --min-epochs, --schedule,
  // --bpr-sampler on `cmd`.
  void AddLoopFlags(CLI::App* cmd);
  // Registers the model flags: --loss, --components, --learning-rate, --max-sampled,
  // --user-alpha, --item-alpha, --epochs, --params.
  void AddModelFlags(CLI::App* cmd);

  // Registers the parameters of a time-aware item bias: --bias-bin-seconds,
  // --bias-bin-gap-seconds, --bin-learning-rate, --bin-alpha, --drift-learning-rate,
  // --drift-alpha, --drift-beta (the form itself: --item-bias, a model flag).
  void AddItemBiasFlags(CLI::App* cmd);

  // Defaults, then the --params file (if any), then the flags given; validated.
  Result<train::mf::MfOptions> Resolve() const;

 private:
  template <typename T>
  CLI::Option* Add(CLI::App* cmd, const std::string& name, T train::mf::MfOptions::*field,
                   const std::string& help);

  // A name flag (--loss, --schedule) parsed into an enum field.
  template <typename Enum>
  void AddName(CLI::App* cmd, const std::string& name, std::string* value,
               Result<Enum> (*parse)(std::string_view), Enum train::mf::MfOptions::*field,
               const std::string& help);

  train::mf::MfOptions values_;
  std::string loss_ = "warp";
  std::string schedule_ = "adagrad";
  std::string bpr_sampler_ = "interactions";
  std::string item_bias_ = "static";
  std::string params_path_;
  std::vector<std::function<void(train::mf::MfOptions*)>> overrides_;
};

// What a report line adds after "over N users" when --eval-users sampled them: "" for an
// evaluation of every test user, else " (a seeded sample of N of M test users)".
std::string EvaluationSampleNote(const train::mf::PrecisionAtK& precision);

}  // namespace botify::tools
