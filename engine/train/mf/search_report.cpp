#include "engine/train/mf/search_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <numeric>

#include "engine/train/mf/mf_params_json.h"

namespace botify::train::mf {
namespace {

namespace json = boost::json;

std::string CurveText(const std::vector<double>& curve) {
  std::string out;
  for (const double p : curve)
    fmt::format_to(std::back_inserter(out), "{}{:.4f}", out.empty() ? "" : " ", p);
  return out;
}

json::object TrialObject(const TrialResult& t) {
  json::object obj;
  obj["trial"] = t.trial;
  obj["params"] = json::parse(MfParamsToJson(t.params));
  obj["rung"] = t.rung;
  obj["epochs"] = t.epochs;
  obj["best_epoch"] = t.best_epoch;
  obj["precision"] = t.precision.mean;
  obj["ci95"] = json::array{t.precision.low(), t.precision.high()};
  json::array curve;
  for (const double p : t.curve) curve.push_back(p);
  obj["curve"] = std::move(curve);
  obj["seconds"] = t.seconds;
  return obj;
}

// "warp", or "warp, binned bias" for a time-aware item bias (the seminar's table keeps its
// columns when the search has no time-aware choice).
std::string LossText(const MfOptions& p) {
  std::string text(MfLossName(p.loss));
  if (p.item_bias != ItemBiasForm::kStatic) {
    text += fmt::format(", {} bias", ItemBiasFormName(p.item_bias));
  }
  return text;
}

}  // namespace

std::string SearchResultsMarkdown(const SearchResult& result, int k) {
  std::vector<std::size_t> order(result.trials.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TrialResult &x = result.trials[a], &y = result.trials[b];
    if (x.rung != y.rung) return x.rung > y.rung;
    return x.precision.mean > y.precision.mean;
  });
  std::string out = fmt::format(
      "| trial | loss | no_components | learning_rate | max_sampled | user_alpha | item_alpha "
      "| epochs | best epoch | precision@{} | 95% CI | time (s) | precision@{} per epoch |\n"
      "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n",
      k, k);
  for (const std::size_t i : order) {
    const TrialResult& t = result.trials[i];
    const MfOptions& p = t.params;
    fmt::format_to(std::back_inserter(out),
                   "| {}{} | {} | {} | {} | {} | {} | {} | {} | {} | {:.4f} | [{:.4f}, {:.4f}] "
                   "| {:.1f} | {} |\n",
                   t.trial, i == result.best ? " (best)" : "", LossText(p), p.no_components,
                   p.learning_rate, p.max_sampled, p.user_alpha, p.item_alpha, t.epochs,
                   t.best_epoch, t.precision.mean, t.precision.low(), t.precision.high(), t.seconds,
                   CurveText(t.curve));
  }
  return out;
}

std::string TrialJson(const TrialResult& trial) { return json::serialize(TrialObject(trial)); }

std::string SearchResultsJson(const SearchResult& result, int k) {
  json::object obj;
  obj["k"] = k;
  obj["best_trial"] = result.trials.empty() ? 0 : result.trials[result.best].trial;
  json::array trials;
  for (const TrialResult& t : result.trials) trials.push_back(TrialObject(t));
  obj["trials"] = std::move(trials);
  return json::serialize(obj);
}

}  // namespace botify::train::mf
