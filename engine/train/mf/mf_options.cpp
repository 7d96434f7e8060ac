#include "engine/train/mf/mf_options.h"

#include <fmt/format.h>

#include <cmath>

namespace botify::train::mf {

std::string_view MfLossName(MfLoss loss) { return loss == MfLoss::kWarp ? "warp" : "bpr"; }

std::string_view MfScheduleName(MfSchedule schedule) {
  return schedule == MfSchedule::kAdagrad ? "adagrad" : "adadelta";
}

Result<MfLoss> ParseMfLoss(std::string_view name) {
  if (name == "warp") return MfLoss::kWarp;
  if (name == "bpr") return MfLoss::kBpr;
  return Status::InvalidArgument(fmt::format("loss must be warp or bpr, got '{}'", name));
}

Result<MfSchedule> ParseMfSchedule(std::string_view name) {
  if (name == "adagrad") return MfSchedule::kAdagrad;
  if (name == "adadelta") return MfSchedule::kAdadelta;
  return Status::InvalidArgument(
      fmt::format("schedule must be adagrad or adadelta, got '{}'", name));
}

std::string_view BprSamplerName(BprSampler sampler) {
  return sampler == BprSampler::kInteractions ? "interactions" : "uniform";
}

Result<BprSampler> ParseBprSampler(std::string_view name) {
  if (name == "interactions") return BprSampler::kInteractions;
  if (name == "uniform") return BprSampler::kUniform;
  return Status::InvalidArgument(
      fmt::format("bpr_sampler must be interactions or uniform, got '{}'", name));
}

std::string_view ItemBiasFormName(ItemBiasForm form) {
  switch (form) {
    case ItemBiasForm::kStatic:
      return "static";
    case ItemBiasForm::kBinned:
      return "binned";
    case ItemBiasForm::kDrift:
      return "drift";
  }
  return "static";
}

Result<ItemBiasForm> ParseItemBiasForm(std::string_view name) {
  if (name == "static") return ItemBiasForm::kStatic;
  if (name == "binned") return ItemBiasForm::kBinned;
  if (name == "drift") return ItemBiasForm::kDrift;
  return Status::InvalidArgument(
      fmt::format("item_bias must be static, binned or drift, got '{}'", name));
}

namespace {

Status CheckRange(std::string_view field, double value, double low, double high) {
  if (std::isfinite(value) && value >= low && value <= high) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{} must be in [{}, {}], got {}", field, low, high, value));
}

}  // namespace

Status MfOptions::Validate() const {
  BOTIFY_RETURN_IF_ERROR(CheckRange("no_components", no_components, 1, 4096));
  BOTIFY_RETURN_IF_ERROR(CheckRange("max_sampled", max_sampled, 1, 1'000'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("learning_rate", learning_rate, 1e-12, 10));
  BOTIFY_RETURN_IF_ERROR(CheckRange("rho", rho, 0, 1 - 1e-12));
  BOTIFY_RETURN_IF_ERROR(CheckRange("epsilon", epsilon, 1e-30, 1));
  BOTIFY_RETURN_IF_ERROR(CheckRange("user_alpha", user_alpha, 0, 1));
  BOTIFY_RETURN_IF_ERROR(CheckRange("item_alpha", item_alpha, 0, 1));
  BOTIFY_RETURN_IF_ERROR(CheckRange("epochs", epochs, 1, 100'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("patience", patience, 1, 100'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("min_epochs", min_epochs, 1, 100'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("threads", threads, 1, 256));
  BOTIFY_RETURN_IF_ERROR(CheckRange("k", k, 1, 100'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("eval_users", eval_users, 0, 1'000'000'000));
  BOTIFY_RETURN_IF_ERROR(CheckRange("bias_bin_seconds", bias_bin_seconds, 1e-3, 1e9));
  BOTIFY_RETURN_IF_ERROR(CheckRange("bias_bin_gap_seconds", bias_bin_gap_seconds, 0, 1e9));
  BOTIFY_RETURN_IF_ERROR(CheckRange("bin_learning_rate", bin_learning_rate, 1e-12, 10));
  BOTIFY_RETURN_IF_ERROR(CheckRange("bin_alpha", bin_alpha, 0, 10));
  BOTIFY_RETURN_IF_ERROR(CheckRange("drift_learning_rate", drift_learning_rate, 1e-12, 10));
  BOTIFY_RETURN_IF_ERROR(CheckRange("drift_alpha", drift_alpha, 0, 10));
  BOTIFY_RETURN_IF_ERROR(CheckRange("drift_beta", drift_beta, 0, 1));
  return Status::Ok();
}

}  // namespace botify::train::mf
