// `botify ab`: the A/B analyzer (docs/contracts.md §11) over a folder of event logs.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "base/file.h"
#include "engine/ab/ab_analysis.h"
#include "engine/ab/sessionizer.h"
#include "engine/eventlog/event_consumer.h"
#include "engine/eventlog/event_log_reader.h"
#include "tools/ab/ab_html_report.h"
#include "tools/ab/ab_report_format.h"
#include "tools/ab/arm_recommenders.h"
#include "tools/command.h"
#include "tools/log_input.h"

namespace botify::tools {

namespace {

struct AbFlags {
  ab::AbOptions options;
  std::string logs;
  // The decision (engine/ab/decision.h); printed when --verdict or any of these is given.
  bool verdict = false;
  std::string primary = "mean_time_per_session";
  std::string correction = "holm";
  std::string cuped_theta = "pooled";
  std::string pre_logs;  // CUPED's pre-period
  std::string config;    // routing config naming each arm's recommender
  std::string format = "table";
  std::string html;
  bool strict = false;
  // Rows of the experiment held in memory before they spill to sorted runs on disk.
  std::size_t memory_limit = std::size_t{1} << 30;
  std::string spill_dir;  // empty = the system's temporary folder ($TMPDIR or /tmp)
};

// --spill-dir, or the system's temporary folder; it must be a folder.
Result<std::filesystem::path> SpillDir(const AbFlags& flags) {
  std::error_code ec;
  std::filesystem::path dir = flags.spill_dir;
  if (dir.empty()) dir = std::filesystem::temp_directory_path(ec);
  if (ec) return Status::InvalidArgument("no temporary folder for spill files: " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidArgument("--spill-dir " + dir.string() + " is not a folder");
  }
  return dir;
}

std::string SpillSummary(const ExternalSortStats& stats) {
  if (stats.runs_spilled == 0) return "in memory";
  return fmt::format("{} sorted run{}, {:.1f} MB spilled", stats.runs_spilled,
                     stats.runs_spilled == 1 ? "" : "s",
                     static_cast<double>(stats.bytes_spilled) / 1e6);
}

// Reads every log under `logs` into the sessionizer, with progress on stderr at most
// once a second and the first malformed lines reported with file:line.
Status ReadLogs(const AbFlags& flags, const std::string& logs, ab::Sessionizer* sessionizer) {
  auto files = eventlog::ListEventLogFiles(logs);
  if (!files.ok()) return files.status();
  if (files->empty()) {
    return Status::InvalidArgument(
        fmt::format("no event-log files (*.jsonl, *.json, *.log, optionally .gz) under {}", logs));
  }
  eventlog::EventLogReader reader(LogReaderOptions(flags.strict));
  auto last = std::chrono::steady_clock::now();
  std::size_t done = 0;
  reader.set_on_file_done([&](const std::string& path, const eventlog::EventLogStats& stats) {
    auto now = std::chrono::steady_clock::now();
    if (++done < files->size() && now - last < std::chrono::seconds(1)) return;
    last = now;
    fmt::print(stderr, "botify ab: read {}/{} files ({}; rows {}), last {}\n", done, files->size(),
               stats.Summary(), SpillSummary(sessionizer->spill_stats()), path);
  });
  // A spill failure (a full --spill-dir) stops the read at the row it failed on.
  BOTIFY_RETURN_IF_ERROR(eventlog::ReadInto(reader, logs, *sessionizer));
  const eventlog::EventLogStats& stats = reader.stats();
  BOTIFY_RETURN_IF_ERROR(CheckLogInput("ab", logs, stats));
  sessionizer->AddMalformed(static_cast<std::int64_t>(stats.bad_lines));
  return Status::Ok();
}

// Reads `logs` through `sessionizer` (spilling past --memory-limit) and sessionizes them.
Result<ab::SessionizedLog> Sessionize(const AbFlags& flags, const std::string& logs,
                                      const std::string& what, ab::Sessionizer sessionizer,
                                      const std::filesystem::path& spill_dir) {
  BOTIFY_RETURN_IF_ERROR(ReadLogs(flags, logs, &sessionizer));
  if (const ExternalSortStats& spilled = sessionizer.spill_stats(); spilled.runs_spilled > 0) {
    fmt::print(stderr,
               "botify ab: {} rows of {} are over --memory-limit ({:.1f} MiB): merging them "
               "from {} ({})\n",
               spilled.records, what, static_cast<double>(flags.memory_limit) / (1 << 20),
               spill_dir.string(), SpillSummary(spilled));
  }
  return sessionizer.Finish();
}

// Turns the decision flags into options and the presentation; exits on a bad value.
AbPresentation DecisionFlags(const AbFlags& flags, ab::AbOptions* options) {
  AbPresentation presentation;
  presentation.decision = flags.verdict;
  auto primary = ab::ParseUserMetric(flags.primary);
  ExitIfError("ab", primary.status().WithContext("--primary"));
  options->primary = *primary;
  auto correction = ab::ParseCorrection(flags.correction);
  ExitIfError("ab", correction.status().WithContext("--correction"));
  options->correction = *correction;
  auto cuped_theta = ab::ParseCupedTheta(flags.cuped_theta);
  ExitIfError("ab", cuped_theta.status().WithContext("--cuped-theta"));
  options->cuped_theta = *cuped_theta;
  presentation.pre_period = flags.pre_logs;
  if (!flags.config.empty()) {
    auto arms = LoadExperimentArms(flags.config, options->experiment);
    ExitIfError("ab", arms.status());
    presentation.recommenders = arms->recommenders;
    // The config knows the experiment's split: the sample-ratio check uses it.
    if (options->split == 0) options->split = arms->split;
  }
  return presentation;
}

void RunAb(const AbFlags& flags) {
  ab::AbOptions options = flags.options;
  const AbPresentation presentation = DecisionFlags(flags, &options);
  ExitIfError("ab", options.Validate());
  auto format = ParseAbFormat(flags.format);
  ExitIfError("ab", format.status());
  auto spill_dir = SpillDir(flags);
  ExitIfError("ab", spill_dir.status());
  const ExternalSortOptions spill{.memory_budget_bytes = flags.memory_limit,
                                  .spill_dir = *spill_dir};
  auto log = Sessionize(flags, flags.logs, options.experiment,
                        ab::Sessionizer(options.experiment, spill), *spill_dir);
  ExitIfError("ab", log.status());
  std::optional<ab::SessionizedLog> pre;
  if (!flags.pre_logs.empty()) {
    auto pre_log = Sessionize(flags, flags.pre_logs, "the pre-period",
                              ab::Sessionizer::ForAllRows(spill), *spill_dir);
    ExitIfError("ab", pre_log.status().WithContext("--pre-logs"));
    if (pre_log->totals.empty()) {
      ExitIfError("ab", Status::InvalidArgument(fmt::format(
                            "--pre-logs {}: no usable rows for a pre-period", flags.pre_logs)));
    }
    pre = std::move(*pre_log);
  }
  auto report = ab::AnalyzeExperiment(std::move(*log), options, pre ? &*pre : nullptr);
  ExitIfError("ab", report.status().WithContext("logs " + flags.logs));
  if (report->sample_ratio.mismatch) {
    fmt::print(stderr, "botify ab: WARNING: {}\n", SampleRatioLine(*report));
  }
  fmt::print("{}", FormatAbReport(*report, *format, presentation));
  if (!flags.html.empty()) {
    ExitIfError("ab", WriteWholeFile(flags.html, AbReportHtml(*report, presentation)));
    fmt::print(stderr, "botify ab: wrote {}\n", flags.html);
  }
}

// The decision's flags; returns them, so that any of them given asks for the decision.
std::vector<CLI::Option*> AddDecisionOptions(CLI::App* cmd, const std::shared_ptr<AbFlags>& flags) {
  std::vector<CLI::Option*> asks = {
      cmd->add_flag("--verdict", flags->verdict,
                    "Add the decision: a verdict per arm (better / worse / no evidence on the "
                    "primary metric after correction, guardrails violated), raw and adjusted "
                    "p-values, relative effects with delta-method intervals (docs/ab.md); "
                    "implied by any of the options below"),
      cmd->add_option("--primary", flags->primary,
                      "Primary metric of the verdict; the other four are guardrails. Higher "
                      "is better except mean_request_latency")
          ->capture_default_str(),
      cmd->add_option("--correction", flags->correction,
                      "Multiple-testing correction over the arms on the primary metric and, "
                      "separately, over the guardrail tests: holm, bh or none")
          ->capture_default_str(),
      cmd->add_option("--pre-logs", flags->pre_logs,
                      "Event logs of a pre-period of the same users (every row counts): CUPED "
                      "with each metric's pre-period value as covariate"),
      cmd->add_option("--cuped-theta", flags->cuped_theta,
                      "--pre-logs: CUPED's theta pooled over C and the treatment (the paper's) "
                      "or per-arm (better when a treatment multiplies the metric)")
          ->capture_default_str(),
      cmd->add_flag("--sequential", flags->options.sequential,
                    "Always-valid p-values and intervals (mSPRT), for an experiment looked at "
                    "more than once"),
      cmd->add_option("--mixing-sd", flags->options.mixing_sd,
                      "--sequential: sd of the normal mixing distribution over relative "
                      "effects (0.05 = 5%), the effect size detected fastest")
          ->capture_default_str(),
      cmd->add_option("--config", flags->config,
                      "Routing config pushed for the experiment: names each arm's recommender "
                      "(and gives the split)")};
  return asks;
}

}  // namespace

void AddAbCommand(CLI::App& app) {
  auto flags = std::make_shared<AbFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ab",
      "Analyse an A/B experiment in event logs: effects with confidence intervals per "
      "treatment arm vs C (docs/contracts.md §11) and a sample-ratio-mismatch check");
  cmd->add_option("--logs", flags->logs, "Folder (any nesting) or file of event logs")->required();
  cmd->add_option("--experiment", flags->options.experiment,
                  "Experiment name, as in the rows' experiments object")
      ->required();
  cmd->add_option("--alpha", flags->options.alpha, "Two-sided significance level")
      ->capture_default_str();
  cmd->add_option("--format", flags->format, "Output on stdout: table, json, csv or markdown")
      ->capture_default_str();
  cmd->add_option("--html", flags->html, "Also write a self-contained HTML report here");
  AddStrictFlag(cmd, &flags->strict);
  cmd->add_option("--split", flags->options.split,
                  "Configured number of arms for the sample-ratio check (0 = arms seen)")
      ->capture_default_str();
  cmd->add_option("--memory-limit", flags->memory_limit,
                  "Memory for the experiment's rows (32 B each), e.g. 512MiB; beyond it they "
                  "spill to sorted runs in --spill-dir and are merged (same result); 0 = no limit")
      ->transform(CLI::AsSizeValue(true))
      ->capture_default_str();
  cmd->add_option("--spill-dir", flags->spill_dir,
                  "Folder for the spill files (nameless, gone when botify exits; default "
                  "$TMPDIR or /tmp)");
  cmd->add_option("--srm-threshold", flags->options.srm_threshold,
                  "Flag a sample ratio mismatch when the chi-square p-value is below this")
      ->capture_default_str();
  const std::vector<CLI::Option*> decision = AddDecisionOptions(cmd, flags);
  cmd->callback([flags, decision] {
    for (const CLI::Option* o : decision) flags->verdict = flags->verdict || o->count() > 0;
    RunAb(*flags);
  });
}

}  // namespace botify::tools
