#include "engine/serving/routing_config.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "base/file.h"
#include "base/json_fields.h"
#include "engine/serving/experiment.h"

namespace botify::serving {

namespace json = boost::json;

namespace {

// Experiment names go into log lines unescaped, so they are restricted to a safe set.
bool IsValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

// A positive decimal count: digits only (no sign, no spaces), at most 1e9.
Result<std::size_t> ParseCount(const std::string& text, const std::string& spec) {
  std::size_t n = 0;
  const bool digits = !text.empty() && text.size() <= 10 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) std::from_chars(text.data(), text.data() + text.size(), n);
  if (!digits || n == 0 || n > 1'000'000'000) {
    return Status::InvalidArgument("recommender '" + spec + "': '" + text +
                                   "' is not a positive count");
  }
  return static_cast<std::size_t>(n);
}

std::vector<std::string> SplitColon(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ':')) parts.push_back(part);
  if (!text.empty() && text.back() == ':') parts.push_back("");
  return parts;
}

Result<ExperimentSpec> ParseExperiment(const json::value& v, std::size_t i) {
  const std::string where = "experiments[" + std::to_string(i) + "]";
  if (!v.is_object()) return Status::InvalidArgument(where + ": expected an object");
  const auto& obj = v.get_object();
  ExperimentSpec e;
  auto name = GetString(obj, "name");
  if (!name.ok()) return name.status().WithContext(where);
  if (!IsValidName(*name)) {
    return Status::InvalidArgument(where + ": name '" + *name +
                                   "' must be 1-64 characters of [A-Za-z0-9_.-]");
  }
  e.name = *name;
  auto split = GetUnsigned(obj, "split", kMaxArms);
  if (!split.ok()) return split.status().WithContext(where);
  auto check = Experiment::Create(e.name, static_cast<int>(*split));
  if (!check.ok()) return check.status().WithContext(where);
  e.split = static_cast<int>(*split);
  if (const auto* log = obj.if_contains("log")) {
    if (!log->is_bool()) return Status::InvalidArgument(where + ".log: expected true or false");
    e.log = log->get_bool();
  }
  e.arms.resize(e.split);
  if (const auto* arms = obj.if_contains("arms")) {
    if (!arms->is_object()) return Status::InvalidArgument(where + ".arms: expected an object");
    for (const auto& kv : arms->get_object()) {
      const std::string arm_where = where + ".arms." + std::string(kv.key());
      const int arm = ArmIndex(kv.key());
      if (arm < 0 || arm >= e.split) {
        return Status::InvalidArgument(arm_where + ": not an arm of a split-" +
                                       std::to_string(e.split) + " experiment");
      }
      if (!kv.value().is_string()) {
        return Status::InvalidArgument(arm_where + ": expected a recommender name");
      }
      auto spec = RecommenderSpec::Parse(std::string(kv.value().get_string()));
      if (!spec.ok()) return spec.status().WithContext(arm_where);
      e.arms[arm] = *spec;
    }
  }
  return e;
}

}  // namespace

Result<RecommenderSpec> RecommenderSpec::Parse(const std::string& text) {
  constexpr std::string_view kSessionPrefix = "session:";
  if (text.starts_with(kSessionPrefix)) {
    auto inner = Parse(text.substr(kSessionPrefix.size()));
    if (!inner.ok()) return inner.status();
    if (inner->session_aware || inner->kind == Kind::kRandom ||
        inner->kind == Kind::kStickyArtist || inner->kind == Kind::kSessionModel) {
      return Status::InvalidArgument("recommender '" + text +
                                     "': 'session:' applies to indexed, contextual and toppop");
    }
    inner->session_aware = true;
    return inner;
  }
  const auto parts = SplitColon(text);
  RecommenderSpec s;
  const std::string& kind = parts.empty() ? text : parts[0];
  auto need_index = [&](Kind k) -> Result<RecommenderSpec> {
    if (parts.size() != 2 || !IsValidName(parts[1])) {
      return Status::InvalidArgument("recommender '" + text + "': expected '" + kind +
                                     ":INDEX_NAME'");
    }
    s.kind = k;
    s.index = parts[1];
    return s;
  };
  if (kind == "random" && parts.size() == 1) return s;
  if (kind == "sticky_artist" && parts.size() == 1) {
    s.kind = Kind::kStickyArtist;
    return s;
  }
  if (kind == "indexed") return need_index(Kind::kIndexed);
  if (kind == "contextual") return need_index(Kind::kContextual);
  if (kind == "session_model") return need_index(Kind::kSessionModel);
  if (kind == "toppop" && parts.size() <= 3) {
    s.kind = Kind::kTopPop;
    s.index = parts.size() >= 2 ? parts[1] : "top";
    if (!IsValidName(s.index)) {
      return Status::InvalidArgument("recommender '" + text + "': bad index name");
    }
    if (parts.size() == 3) {
      auto n = ParseCount(parts[2], text);
      if (!n.ok()) return n.status();
      s.top_n = *n;
    }
    return s;
  }
  return Status::InvalidArgument(
      "unknown recommender '" + text +
      "' (expected random, sticky_artist, [session:]indexed:NAME, [session:]contextual:NAME, "
      "[session:]toppop[:NAME[:N]], session_model:NAME)");
}

std::string RecommenderSpec::ToString() const {
  const std::string prefix = session_aware ? "session:" : "";
  switch (kind) {
    case Kind::kRandom:
      return "random";
    case Kind::kStickyArtist:
      return "sticky_artist";
    case Kind::kIndexed:
      return prefix + "indexed:" + index;
    case Kind::kContextual:
      return prefix + "contextual:" + index;
    case Kind::kTopPop:
      return prefix + "toppop:" + index + ":" + std::to_string(top_n);
    case Kind::kSessionModel:
      return "session_model:" + index;
  }
  return "?";
}

Result<RoutingConfig> RoutingConfig::Parse(const std::string& json_text) {
  if (json_text.size() > kMaxBytes) {
    return Status::InvalidArgument("the config is " + std::to_string(json_text.size()) +
                                   " bytes, more than the limit of " + std::to_string(kMaxBytes));
  }
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return Status::InvalidArgument("malformed JSON: " + ec.message());
  if (!root.is_object()) return Status::InvalidArgument("expected a JSON object at the top");
  const auto& obj = root.get_object();
  RoutingConfig config;
  std::set<std::string> names;
  if (const auto* exps = obj.if_contains("experiments")) {
    if (!exps->is_array()) return Status::InvalidArgument("experiments: expected an array");
    if (exps->get_array().size() > kMaxExperiments) {
      return Status::InvalidArgument(
          "experiments: " + std::to_string(exps->get_array().size()) +
          " experiments, more than the limit of " + std::to_string(kMaxExperiments) +
          " (each costs a hash per request and, if logged, bytes in every event line)");
    }
    for (std::size_t i = 0; i < exps->get_array().size(); ++i) {
      auto e = ParseExperiment(exps->get_array()[i], i);
      if (!e.ok()) return e.status();
      if (!names.insert(e->name).second) {
        return Status::InvalidArgument("experiment '" + e->name + "' is defined twice");
      }
      config.experiments.push_back(std::move(*e));
    }
  }
  if (const auto* def = obj.if_contains("default")) {
    if (!def->is_string()) return Status::InvalidArgument("default: expected a recommender name");
    auto spec = RecommenderSpec::Parse(std::string(def->get_string()));
    if (!spec.ok()) return spec.status().WithContext("default");
    config.default_recommender = *spec;
  }
  if (const auto* routing = obj.if_contains("routing"); routing && !routing->is_null()) {
    if (!routing->is_string())
      return Status::InvalidArgument("routing: expected an experiment name");
    config.routing = std::string(routing->get_string());
    if (!names.count(*config.routing)) {
      return Status::InvalidArgument("routing: no experiment named '" + *config.routing + "'");
    }
  }
  for (const auto& kv : obj) {
    if (kv.key() != "experiments" && kv.key() != "default" && kv.key() != "routing") {
      return Status::InvalidArgument("unknown field '" + std::string(kv.key()) + "'");
    }
  }
  return config;
}

std::vector<IndexReference> RoutingConfig::IndexReferences() const {
  std::vector<IndexReference> out;
  auto add = [&](std::string where, const std::string& experiment, std::string_view arm,
                 const RecommenderSpec& spec) {
    if (spec.index.empty()) return;
    out.push_back({std::move(where), experiment, std::string(arm), spec.ToString(), spec.index});
  };
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const ExperimentSpec& e = experiments[i];
    for (std::size_t arm = 0; arm < e.arms.size(); ++arm) {
      if (!e.arms[arm]) continue;
      const std::string_view name = ArmName(static_cast<int>(arm));
      add("experiments[" + std::to_string(i) + "] (" + e.name + ") arm " + std::string(name),
          e.name, name, *e.arms[arm]);
    }
  }
  add("default", "", "default", default_recommender);
  return out;
}

Result<RoutingConfig> RoutingConfig::Load(const std::string& path) {
  std::string text;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(path, &text));
  auto config = Parse(text);
  if (!config.ok()) return config.status().WithContext(path);
  return config;
}

}  // namespace botify::serving
