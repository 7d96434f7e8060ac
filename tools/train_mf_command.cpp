// `botify train mf` and `botify train mf-export`: the LightFM-style trainer (docs/contracts.md
// §10).
#include <fmt/core.h>

#include <memory>

#include "engine/catalog/catalog.h"
#include "engine/train/mf/mf_fit.h"
#include "engine/train/mf/projector_export.h"
#include "engine/train/mf/recommendations_export.h"
#include "engine/train/mf/trained_model.h"
#include "tools/ann_flags.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/mf_flags.h"
#include "tools/mf_logs.h"
#include "tools/train_command.h"

namespace botify::tools {
namespace {

struct ExportFlags {
  std::string out;
  std::string tensorboard;
  std::string tracks;
  std::size_t top_n = 100;
  bool include_known = false;
  AnnFlags search;
};

struct TrainMfFlags {
  std::string logs;
  bool strict = false;
  std::string model_out;
  std::string split_out;
  bool allow_below_baseline = false;
  MfFlags mf;
  ExportFlags export_flags;
};

struct MfExportFlags {
  std::string model;
  int threads = 2;
  ExportFlags export_flags;
};

void AddExportFlags(CLI::App* cmd, ExportFlags* f) {
  cmd->add_option("--out", f->out,
                  "Recommendations file to write (JSON lines, docs/contracts.md §6)")
      ->required();
  cmd->add_option("--top-n", f->top_n, "Tracks per user")->capture_default_str();
  f->search.Add(cmd, "--export", "user's", "tracks");
  cmd->add_flag("--include-known", f->include_known,
                "Keep each user's train positives in their list (evaluation excludes them; "
                "a listener replays favourites in a later session)");
  auto* tb = cmd->add_option("--tensorboard", f->tensorboard,
                             "Log dir for the TensorBoard projector (item embeddings)");
  cmd->add_option("--tracks", f->tracks, "tracks.json: artist and title of each track")
      ->check(CLI::ExistingFile);
  tb->needs("--tracks");
}

void PrintEpoch(const train::mf::EpochReport& r, const train::mf::MfOptions& o) {
  fmt::print(stderr,
             "epoch {}/{}: precision@{} {:.4f} [{:.4f}, {:.4f}] over {} users{} (train {:.0f} "
             "ms, eval {:.0f} ms){}\n",
             r.epoch, o.epochs, o.k, r.precision.mean, r.precision.low(), r.precision.high(),
             r.precision.users, EvaluationSampleNote(r.precision), r.train_seconds * 1e3,
             r.eval_seconds * 1e3, r.improved ? " best" : "");
}

Result<train::mf::RecommendationsExportOptions> ExportOptionsOf(const ExportFlags& f, int threads,
                                                                std::uint64_t seed) {
  train::mf::RecommendationsExportOptions options;
  options.top_n = f.top_n;
  options.threads = threads;
  options.exclude_known = !f.include_known;
  auto index = f.search.Resolve(seed);
  if (!index.ok()) return index.status();
  options.index = *index;
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  return options;
}

void Export(const train::mf::TrainedModel& trained, const ExportFlags& f,
            const train::mf::RecommendationsExportOptions& options, const std::string& command) {
  ExitIfError(command, train::mf::WriteRecommendations(
                           trained, f.out, options, [](std::size_t done, std::size_t total) {
                             fmt::print(stderr, "exported {}/{} users\r", done, total);
                           }));
  fmt::print(stderr, "\nwrote {} ({} users, top {}, {})\n", f.out, trained.model.n_users(), f.top_n,
             dense::Describe(options.index));
  if (f.tensorboard.empty()) return;
  auto catalog = catalog::Catalog::LoadJsonLines(f.tracks);
  ExitIfError(command, catalog.status());
  train::mf::ProjectorOptions projector;
  projector.log_dir = f.tensorboard;
  ExitIfError(command,
              train::mf::WriteProjector(trained.model, trained.track_ids, *catalog, projector));
  fmt::print(stderr, "wrote the projector files under {} (run: tensorboard --logdir {})\n",
             f.tensorboard, f.tensorboard);
}

void RunTrainMf(const TrainMfFlags& f) {
  const std::string command = "train mf";
  auto options = f.mf.Resolve();
  ExitIfError(command, options.status());
  const auto export_options = ExportOptionsOf(f.export_flags, options->threads, options->seed);
  ExitIfError(command, export_options.status());
  train::mf::InteractionSplitOptions split_options;
  split_options.seed = options->seed;
  auto split = LoadMfInteractions("train mf", f.logs, f.strict, split_options);
  ExitIfError(command, split.status());
  if (!f.split_out.empty()) ExitIfError(command, train::mf::WriteSplitTsv(*split, f.split_out));
  auto fit = train::mf::FitMf(*split, *options,
                              [&](const train::mf::EpochReport& r) { PrintEpoch(r, *options); });
  ExitIfError(command, fit.status());
  fmt::print("model ({} {}): precision@{} {:.4f} [{:.4f}, {:.4f}] at epoch {}{}{}\n",
             train::mf::MfLossName(options->loss), options->no_components, options->k,
             fit->best.mean, fit->best.low(), fit->best.high(), fit->best_epoch,
             fit->stopped_early ? " (stopped early)" : "", EvaluationSampleNote(fit->best));
  if (options->item_bias != train::mf::ItemBiasForm::kStatic) {
    fmt::print("item bias {}: {} time bins, served at bin {} (the latest train timestamp)\n",
               train::mf::ItemBiasFormName(options->item_bias), fit->time_bins,
               fit->served_bin + 1);
  }
  fmt::print("popularity baseline: precision@{} {:.4f} [{:.4f}, {:.4f}]\n", options->k,
             fit->popularity.mean, fit->popularity.low(), fit->popularity.high());
  const bool beats = train::mf::BeatsBeyondInterval(fit->best, fit->popularity);
  fmt::print("model / popularity: {:.2f}x, {}\n",
             fit->popularity.mean > 0 ? fit->best.mean / fit->popularity.mean : 0.0,
             beats ? "beyond the 95% intervals" : "NOT beyond the 95% intervals");
  if (!beats && !f.allow_below_baseline) {
    ExitIfError(command, Status::FailedPrecondition(fmt::format(
                             "the model does not beat the popularity baseline: precision@{} "
                             "{:.4f} [{:.4f}, {:.4f}] vs popularity {:.4f} [{:.4f}, {:.4f}]; "
                             "nothing written (train longer or with other params; "
                             "--allow-below-baseline writes it anyway)",
                             options->k, fit->best.mean, fit->best.low(), fit->best.high(),
                             fit->popularity.mean, fit->popularity.low(), fit->popularity.high())));
  }
  train::mf::TrainedModel trained{std::move(fit->model), split->user_ids, split->track_ids,
                                  split->train};
  if (!f.model_out.empty()) {
    ExitIfError(command, train::mf::SaveTrainedModel(trained, f.model_out));
    fmt::print(stderr, "saved the model to {}\n", f.model_out);
  }
  Export(trained, f.export_flags, *export_options, command);
}

void RunMfExport(const MfExportFlags& f) {
  const std::string command = "train mf-export";
  const auto export_options = ExportOptionsOf(f.export_flags, f.threads, 0);
  ExitIfError(command, export_options.status());
  auto trained = train::mf::LoadTrainedModel(f.model);
  ExitIfError(command, trained.status());
  Export(*trained, f.export_flags, *export_options, command);
}

}  // namespace

void AddTrainMfCommands(CLI::App& app) {
  CLI::App* train = TrainCommand(app);
  auto f = std::make_shared<TrainMfFlags>();
  CLI::App* mf = train->add_subcommand(
      "mf",
      "Train the LightFM-style factorisation model (WARP/BPR) on event logs, report "
      "precision@k per epoch, export top-N per user");
  mf->add_option("--logs", f->logs, "Folder (or file) of event logs")->required();
  AddStrictFlag(mf, &f->strict);
  mf->add_option("--model-out", f->model_out, "Save the trained model here (for mf-export)");
  mf->add_option("--split-out", f->split_out,
                 "Also write the train/test split used (train.tsv, test.tsv) to this folder");
  mf->add_flag("--allow-below-baseline", f->allow_below_baseline,
               "Write the model and its lists even when it does not beat the popularity "
               "baseline beyond the 95% intervals (otherwise that is an error, exit 1)");
  f->mf.AddModelFlags(mf);
  f->mf.AddLoopFlags(mf);
  AddExportFlags(mf, &f->export_flags);
  mf->callback([f] { RunTrainMf(*f); });

  auto e = std::make_shared<MfExportFlags>();
  CLI::App* exp = train->add_subcommand(
      "mf-export", "Export top-N per user (and projector files) from a saved mf model");
  exp->add_option("--model", e->model, "Model file written by `train mf --model-out`")
      ->required()
      ->check(CLI::ExistingFile);
  exp->add_option("--threads", e->threads, "Scoring threads")->capture_default_str();
  AddExportFlags(exp, &e->export_flags);
  exp->callback([e] { RunMfExport(*e); });
}

}  // namespace botify::tools
