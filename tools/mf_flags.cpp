#include "tools/mf_flags.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "base/file.h"
#include "engine/train/mf/mf_params_json.h"

namespace botify::tools {

template <typename T>
CLI::Option* MfFlags::Add(CLI::App* cmd, const std::string& name, T train::mf::MfOptions::*field,
                          const std::string& help) {
  CLI::Option* opt = cmd->add_option(name, values_.*field, help)->capture_default_str();
  overrides_.push_back([this, opt, field](train::mf::MfOptions* o) {
    if (opt->count() > 0) o->*field = values_.*field;
  });
  return opt;
}

template <typename Enum>
void MfFlags::AddName(CLI::App* cmd, const std::string& name, std::string* value,
                      Result<Enum> (*parse)(std::string_view), Enum train::mf::MfOptions::*field,
                      const std::string& help) {
  CLI::Option* opt = cmd->add_option(name, *value, help)
                         ->capture_default_str()
                         ->check([parse](const std::string& text) {
                           auto parsed = parse(text);
                           return parsed.ok() ? std::string() : parsed.status().message();
                         });
  overrides_.push_back([opt, value, parse, field](train::mf::MfOptions* o) {
    if (opt->count() > 0) o->*field = *parse(*value);
  });
}

void MfFlags::AddLoopFlags(CLI::App* cmd) {
  AddName(cmd, "--schedule", &schedule_, &train::mf::ParseMfSchedule,
          &train::mf::MfOptions::schedule, "Learning schedule: adagrad or adadelta");
  Add(cmd, "--threads", &train::mf::MfOptions::threads, "Hogwild training and scoring threads");
  Add(cmd, "--seed", &train::mf::MfOptions::seed, "Seed of the split, initialisation and sampling");
  Add(cmd, "--k", &train::mf::MfOptions::k, "k of precision@k");
  Add(cmd, "--eval-users", &train::mf::MfOptions::eval_users,
      "Evaluate precision@k (and the popularity baseline) on a seeded sample of this many "
      "test users instead of all of them (0 = all); the output names the sample size");
  Add(cmd, "--patience", &train::mf::MfOptions::patience,
      "Stop after this many epochs without a better precision@k");
  Add(cmd, "--min-epochs", &train::mf::MfOptions::min_epochs,
      "Early stopping (patience) applies only from this epoch on");
  AddName(cmd, "--bpr-sampler", &bpr_sampler_, &train::mf::ParseBprSampler,
          &train::mf::MfOptions::bpr_sampler,
          "BPR negatives: interactions (LightFM's: an item of a random interaction, i.e. by "
          "popularity) or uniform");
}

void MfFlags::AddModelFlags(CLI::App* cmd) {
  cmd->add_option("--params", params_path_,
                  "JSON of hyperparameters (e.g. best.json of `train search`); flags given "
                  "on the command line override it")
      ->check(CLI::ExistingFile);
  AddName(cmd, "--loss", &loss_, &train::mf::ParseMfLoss, &train::mf::MfOptions::loss,
          "Loss: warp or bpr");
  Add(cmd, "--components", &train::mf::MfOptions::no_components, "Embedding dimension");
  Add(cmd, "--learning-rate", &train::mf::MfOptions::learning_rate, "Adagrad learning rate");
  Add(cmd, "--max-sampled", &train::mf::MfOptions::max_sampled,
      "WARP: negatives drawn per positive");
  Add(cmd, "--user-alpha", &train::mf::MfOptions::user_alpha, "L2 penalty on user embeddings");
  Add(cmd, "--item-alpha", &train::mf::MfOptions::item_alpha, "L2 penalty on item embeddings");
  Add(cmd, "--epochs", &train::mf::MfOptions::epochs, "Maximum number of epochs");
  AddName(cmd, "--item-bias", &item_bias_, &train::mf::ParseItemBiasForm,
          &train::mf::MfOptions::item_bias,
          "Item bias b_i(t): static, binned (b_i + b_i,bin(t)) or drift (b_i + alpha_i "
          "dev_i(t)); time-aware forms are served at the latest train timestamp");
  AddItemBiasFlags(cmd);
}

void MfFlags::AddItemBiasFlags(CLI::App* cmd) {
  Add(cmd, "--bias-bin-seconds", &train::mf::MfOptions::bias_bin_seconds,
      "Time-aware bias: width of a time bin in seconds of the event timestamps");
  Add(cmd, "--bias-bin-gap-seconds", &train::mf::MfOptions::bias_bin_gap_seconds,
      "Time-aware bias: if > 0, bins are stretches of activity split at gaps longer than "
      "this (e.g. the simulator's pause between days) instead of fixed widths");
  Add(cmd, "--bin-learning-rate", &train::mf::MfOptions::bin_learning_rate,
      "binned bias: adagrad learning rate of the per-bin offsets");
  Add(cmd, "--bin-alpha", &train::mf::MfOptions::bin_alpha,
      "binned bias: L2 penalty of the offsets");
  Add(cmd, "--drift-learning-rate", &train::mf::MfOptions::drift_learning_rate,
      "drift bias: adagrad learning rate of the slopes alpha_i");
  Add(cmd, "--drift-alpha", &train::mf::MfOptions::drift_alpha,
      "drift bias: L2 penalty of the slopes");
  Add(cmd, "--drift-beta", &train::mf::MfOptions::drift_beta,
      "drift bias: exponent beta of dev(t) = sign(t - t_i) |t - t_i|^beta, in [0, 1]");
}

Result<train::mf::MfOptions> MfFlags::Resolve() const {
  train::mf::MfOptions options;
  if (!params_path_.empty()) {
    std::string text;
    BOTIFY_RETURN_IF_ERROR(ReadWholeFile(params_path_, &text));
    const Status applied = train::mf::ApplyMfParamsJson(text, &options);
    if (!applied.ok()) return applied.WithContext(params_path_);
  }
  for (const auto& override_flag : overrides_) override_flag(&options);
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  return options;
}

std::string EvaluationSampleNote(const train::mf::PrecisionAtK& precision) {
  if (!precision.sampled()) return std::string();
  return fmt::format(" (a seeded sample of {} of {} test users)", precision.users,
                     precision.population);
}

}  // namespace botify::tools
