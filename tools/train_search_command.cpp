// `botify train search`: hyperparameter search for the mf trainer (docs/contracts.md §10).
#include <fmt/core.h>

#include <fstream>
#include <memory>

#include "base/file.h"
#include "engine/train/mf/hyperparameter_search.h"
#include "engine/train/mf/mf_params_json.h"
#include "engine/train/mf/search_report.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/mf_flags.h"
#include "tools/mf_logs.h"
#include "tools/train_command.h"

namespace botify::tools {
namespace {

struct SearchFlags {
  std::string logs;
  bool strict = false;
  std::string out;
  std::string table;
  std::string json;
  std::string sampler = "random";
  std::vector<std::string> item_biases = {"static"};
  train::mf::SearchOptions search;
  MfFlags mf;
};

void PrintTrial(const train::mf::TrialResult& t, const train::mf::SearchOptions& o) {
  const train::mf::MfOptions& p = t.params;
  fmt::print(stderr,
             "trial {}/{}{}: {}{} components={} lr={} max_sampled={} user_alpha={} "
             "item_alpha={} -> precision@{} {:.4f}{} (best epoch {} of {}, {:.1f} s)\n",
             t.trial, o.trials,
             o.sampler == train::mf::SearchSampler::kHalving ? fmt::format(" rung {}", t.rung)
                                                             : std::string(),
             train::mf::MfLossName(p.loss),
             p.item_bias == train::mf::ItemBiasForm::kStatic
                 ? std::string()
                 : fmt::format(" item_bias={}", train::mf::ItemBiasFormName(p.item_bias)),
             p.no_components, p.learning_rate, p.max_sampled, p.user_alpha, p.item_alpha, p.k,
             t.precision.mean, EvaluationSampleNote(t.precision), t.best_epoch, t.epochs,
             t.seconds);
}

// best.json: the params plus a "search" record (the trial, its curve) that
// `train mf --params` ignores.
std::string BestJson(const train::mf::TrialResult& best) {
  std::string params = train::mf::MfParamsToJson(best.params);
  params.pop_back();  // the closing brace
  return fmt::format("{},\"search\":{}}}\n", params, train::mf::TrialJson(best));
}

void RunSearch(SearchFlags& f) {
  const std::string command = "train search";
  auto base = f.mf.Resolve();
  ExitIfError(command, base.status());
  auto sampler = train::mf::ParseSearchSampler(f.sampler);
  ExitIfError(command, sampler.status());
  f.search.base = *base;
  f.search.sampler = *sampler;
  f.search.grid.item_biases.clear();
  for (const std::string& name : f.item_biases) {
    auto form = train::mf::ParseItemBiasForm(name);
    ExitIfError(command, form.status().WithContext("--item-bias-choices"));
    f.search.grid.item_biases.push_back(*form);
  }
  ExitIfError(command, f.search.Validate());
  train::mf::InteractionSplitOptions split_options;
  split_options.seed = base->seed;
  auto split = LoadMfInteractions("train search", f.logs, f.strict, split_options);
  ExitIfError(command, split.status());
  auto result = train::mf::RunSearch(
      *split, f.search, [&](const train::mf::TrialResult& t) { PrintTrial(t, f.search); });
  ExitIfError(command, result.status());
  const std::string table = train::mf::SearchResultsMarkdown(*result, base->k);
  fmt::print("{}", table);
  if (!f.table.empty()) ExitIfError(command, WriteWholeFile(f.table, table));
  if (!f.json.empty()) {
    ExitIfError(command,
                WriteWholeFile(f.json, train::mf::SearchResultsJson(*result, base->k) + "\n"));
  }
  ExitIfError(command, WriteWholeFile(f.out, BestJson(result->trials[result->best])));
  fmt::print(stderr, "wrote the best params to {}\n", f.out);
}

}  // namespace

void AddTrainSearchCommand(CLI::App& app) {
  auto f = std::make_shared<SearchFlags>();
  CLI::App* cmd = TrainCommand(app)->add_subcommand(
      "search", "Hyperparameter search for `train mf` over the seminar's grid (288 points)");
  cmd->add_option("--logs", f->logs, "Folder (or file) of event logs")->required();
  AddStrictFlag(cmd, &f->strict);
  cmd->add_option("--out", f->out, "Best params as JSON (for `train mf --params`)")->required();
  cmd->add_option("--trials", f->search.trials, "Grid points to try")->capture_default_str();
  cmd->add_option("--sampler", f->sampler, "random or halving (successive halving)")
      ->capture_default_str()
      ->check(CLI::IsMember({"random", "halving"}));
  cmd->add_option("--epochs", f->search.epochs,
                  "Epochs per trial (random) or of the last rung (halving)")
      ->capture_default_str();
  cmd->add_option("--first-rung-epochs", f->search.first_rung_epochs,
                  "halving: least epochs of the first rung")
      ->capture_default_str();
  cmd->add_option("--table", f->table, "Also write the markdown results table here");
  cmd->add_option("--json", f->json,
                  "Also write every trial (params, learning curve) as JSON here");
  cmd->add_option("--item-bias-choices", f->item_biases,
                  "Item bias forms the search chooses among (a categorical grid dimension), "
                  "comma-separated: static, binned, drift. Default static only: the seminar's "
                  "288 points")
      ->delimiter(',')
      ->capture_default_str();
  f->mf.AddLoopFlags(cmd);
  f->mf.AddItemBiasFlags(cmd);
  cmd->callback([f] { RunSearch(*f); });
}

}  // namespace botify::tools
