#include "engine/train/mf/mf_params_json.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "base/json_fields.h"

namespace botify::train::mf {
namespace {

namespace json = boost::json;

Status ApplyInt(const json::object& obj, std::string_view key, int* out) {
  auto v = GetUnsigned(obj, key, 1'000'000);
  if (!v.ok()) return v.status();
  *out = static_cast<int>(*v);
  return Status::Ok();
}

Status ApplyDouble(const json::object& obj, std::string_view key, double* out) {
  auto v = GetNumber(obj, key);
  if (!v.ok()) return v.status();
  *out = *v;
  return Status::Ok();
}

template <typename Enum>
Status ApplyEnum(const json::object& obj, std::string_view key,
                 Result<Enum> (*parse)(std::string_view), Enum* out) {
  auto name = GetString(obj, key);
  if (!name.ok()) return name.status();
  auto parsed = parse(*name);
  if (!parsed.ok()) return parsed.status();
  *out = *parsed;
  return Status::Ok();
}

Status ApplyKey(const json::object& obj, std::string_view key, MfOptions* o) {
  if (key == "loss") return ApplyEnum(obj, key, &ParseMfLoss, &o->loss);
  if (key == "schedule") return ApplyEnum(obj, key, &ParseMfSchedule, &o->schedule);
  if (key == "bpr_sampler") return ApplyEnum(obj, key, &ParseBprSampler, &o->bpr_sampler);
  if (key == "no_components") return ApplyInt(obj, key, &o->no_components);
  if (key == "max_sampled") return ApplyInt(obj, key, &o->max_sampled);
  if (key == "learning_rate") return ApplyDouble(obj, key, &o->learning_rate);
  if (key == "user_alpha") return ApplyDouble(obj, key, &o->user_alpha);
  if (key == "item_alpha") return ApplyDouble(obj, key, &o->item_alpha);
  if (key == "rho") return ApplyDouble(obj, key, &o->rho);
  if (key == "epsilon") return ApplyDouble(obj, key, &o->epsilon);
  if (key == "item_bias") return ApplyEnum(obj, key, &ParseItemBiasForm, &o->item_bias);
  if (key == "bias_bin_seconds") return ApplyDouble(obj, key, &o->bias_bin_seconds);
  if (key == "bias_bin_gap_seconds") return ApplyDouble(obj, key, &o->bias_bin_gap_seconds);
  if (key == "bin_learning_rate") return ApplyDouble(obj, key, &o->bin_learning_rate);
  if (key == "bin_alpha") return ApplyDouble(obj, key, &o->bin_alpha);
  if (key == "drift_learning_rate") return ApplyDouble(obj, key, &o->drift_learning_rate);
  if (key == "drift_alpha") return ApplyDouble(obj, key, &o->drift_alpha);
  if (key == "drift_beta") return ApplyDouble(obj, key, &o->drift_beta);
  if (key == "search") return Status::Ok();
  return Status::InvalidArgument(fmt::format("unknown parameter '{}'", key));
}

}  // namespace

std::string MfParamsToJson(const MfOptions& o) {
  json::object obj;
  obj["loss"] = std::string(MfLossName(o.loss));
  obj["no_components"] = o.no_components;
  obj["learning_rate"] = o.learning_rate;
  obj["max_sampled"] = o.max_sampled;
  obj["user_alpha"] = o.user_alpha;
  obj["item_alpha"] = o.item_alpha;
  obj["schedule"] = std::string(MfScheduleName(o.schedule));
  obj["bpr_sampler"] = std::string(BprSamplerName(o.bpr_sampler));
  // A static bias writes nothing more: the seminar's best.json stays as it was.
  if (o.item_bias == ItemBiasForm::kStatic) return json::serialize(obj);
  obj["item_bias"] = std::string(ItemBiasFormName(o.item_bias));
  obj["bias_bin_seconds"] = o.bias_bin_seconds;
  obj["bias_bin_gap_seconds"] = o.bias_bin_gap_seconds;
  if (o.item_bias == ItemBiasForm::kBinned) {
    obj["bin_learning_rate"] = o.bin_learning_rate;
    obj["bin_alpha"] = o.bin_alpha;
  } else {
    obj["drift_learning_rate"] = o.drift_learning_rate;
    obj["drift_alpha"] = o.drift_alpha;
    obj["drift_beta"] = o.drift_beta;
  }
  return json::serialize(obj);
}

Status ApplyMfParamsJson(std::string_view text, MfOptions* options) {
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.status();
  MfOptions updated = *options;
  for (const auto& entry : *obj) {
    BOTIFY_RETURN_IF_ERROR(ApplyKey(*obj, entry.key(), &updated));
  }
  BOTIFY_RETURN_IF_ERROR(updated.Validate());
  *options = updated;
  return Status::Ok();
}

}  // namespace botify::train::mf
