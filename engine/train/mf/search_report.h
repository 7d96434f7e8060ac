// Reports of a hyperparameter search (engine/train/mf/hyperparameter_search.h).
#pragma once

#include <string>

#include "engine/train/mf/hyperparameter_search.h"

namespace botify::train::mf {

// Markdown table, best first (last rung first for halving): trial, params, epochs, best
// epoch, precision@k of the best epoch with its interval, time, learning curve.
std::string SearchResultsMarkdown(const SearchResult& result, int k);

// One JSON object: {"k": k, "best_trial": n, "trials": [{"trial", "params", "rung",
// "epochs", "best_epoch", "precision", "ci95", "curve", "seconds"}, ...]} in trial order.
std::string SearchResultsJson(const SearchResult& result, int k);

// The JSON object of one trial, as in SearchResultsJson.
std::string TrialJson(const TrialResult& trial);

}  // namespace botify::train::mf
