// `botify ab`: the A/B analyzer (docs/contracts.md §11) over a folder of event logs.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "base/file.h"
#include "base/key_shard.h"
#include "engine/ab/ab_analysis.h"
#include "engine/ab/ab_partial.h"
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
  // Sharded (engine/ab/ab_partial.h): a shard writes its partial instead of the report;
  // the merge reads every shard's partial and prints the report.
  std::string shard;  // "I/N"
  std::string partial;
  std::vector<std::string> merge;
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
// `pre_logs`: the pre-period named in the report.
AbPresentation DecisionFlags(const AbFlags& flags, const std::string& pre_logs,
                             ab::AbOptions* options) {
  AbPresentation presentation;
  presentation.decision = flags.verdict || !pre_logs.empty();  // a pre-period asks for it
  auto primary = ab::ParseUserMetric(flags.primary);
  ExitIfError("ab", primary.status().WithContext("--primary"));
  options->primary = *primary;
  auto correction = ab::ParseCorrection(flags.correction);
  ExitIfError("ab", correction.status().WithContext("--correction"));
  options->correction = *correction;
  auto cuped_theta = ab::ParseCupedTheta(flags.cuped_theta);
  ExitIfError("ab", cuped_theta.status().WithContext("--cuped-theta"));
  options->cuped_theta = *cuped_theta;
  presentation.pre_period = pre_logs;
  if (!flags.config.empty()) {
    auto arms = LoadExperimentArms(flags.config, options->experiment);
    ExitIfError("ab", arms.status());
    presentation.recommenders = arms->recommenders;
    // The config knows the experiment's split: the sample-ratio check uses it.
    if (options->split == 0) options->split = arms->split;
  }
  return presentation;
}

// The sessionized experiment and pre-period (null if none) as the analysis takes them.
struct AbInput {
  ab::SessionizedLog log{};
  std::optional<ab::SessionizedLog> pre_period{};
  std::string logs;  // named in the errors
  std::string pre_logs;
};

// Reads --logs (and --pre-logs) of the users of `shard`; `keep_sessions` for a partial.
AbInput ReadInput(const AbFlags& flags, const KeyShard& shard, bool keep_sessions) {
  auto spill_dir = SpillDir(flags);
  ExitIfError("ab", spill_dir.status());
  const ab::SessionizerOptions sessionizer{
      .spill = {.memory_budget_bytes = flags.memory_limit, .spill_dir = *spill_dir},
      .users = shard,
      .keep_sessions = keep_sessions};
  AbInput input{.logs = flags.logs, .pre_logs = flags.pre_logs};
  auto log = Sessionize(flags, flags.logs, flags.options.experiment,
                        ab::Sessionizer(flags.options.experiment, sessionizer), *spill_dir);
  ExitIfError("ab", log.status());
  input.log = std::move(*log);
  if (!flags.pre_logs.empty()) {
    ab::SessionizerOptions pre_options = sessionizer;
    pre_options.keep_sessions = false;
    auto pre_log = Sessionize(flags, flags.pre_logs, "the pre-period",
                              ab::Sessionizer::ForAllRows(pre_options), *spill_dir);
    ExitIfError("ab", pre_log.status().WithContext("--pre-logs"));
    input.pre_period = std::move(*pre_log);
  }
  return input;
}

// What the report needs besides the input, checked before any log is read.
struct ReportSetup {
  ab::AbOptions options{};
  AbPresentation presentation{};
  AbFormat format = AbFormat::kTable;
};

// `experiment` and `pre_logs`: of the run (the flags', or the partials').
ReportSetup PrepareReport(const AbFlags& flags, const std::string& experiment,
                          const std::string& pre_logs) {
  ReportSetup setup{.options = flags.options};
  setup.options.experiment = experiment;
  setup.presentation = DecisionFlags(flags, pre_logs, &setup.options);
  ExitIfError("ab", setup.options.Validate());
  auto format = ParseAbFormat(flags.format);
  ExitIfError("ab", format.status());
  setup.format = *format;
  return setup;
}

// The analysis and its report, from the whole run's input (read, or merged from partials).
void Report(const AbFlags& flags, const ReportSetup& setup, AbInput input) {
  if (input.pre_period && input.pre_period->totals.empty()) {
    ExitIfError("ab", Status::InvalidArgument(fmt::format(
                          "--pre-logs {}: no usable rows for a pre-period", input.pre_logs)));
  }
  auto report = ab::AnalyzeExperiment(std::move(input.log), setup.options,
                                      input.pre_period ? &*input.pre_period : nullptr);
  ExitIfError("ab", report.status().WithContext("logs " + input.logs));
  if (report->sample_ratio.mismatch) {
    fmt::print(stderr, "botify ab: WARNING: {}\n", SampleRatioLine(*report));
  }
  fmt::print("{}", FormatAbReport(*report, setup.format, setup.presentation));
  if (!flags.html.empty()) {
    ExitIfError("ab", WriteWholeFile(flags.html, AbReportHtml(*report, setup.presentation)));
    fmt::print(stderr, "botify ab: wrote {}\n", flags.html);
  }
}

// `--shard I/N --partial OUT`: this shard's users, written for the merge.
void RunShard(const AbFlags& flags) {
  auto shard = KeyShard::Parse(flags.shard);
  ExitIfError("ab", shard.status().WithContext("--shard"));
  AbInput input = ReadInput(flags, *shard, /*keep_sessions=*/true);
  const ab::AbPartial partial{.experiment = flags.options.experiment,
                              .shard = *shard,
                              .logs = input.logs,
                              .pre_logs = input.pre_logs,
                              .log = std::move(input.log),
                              .pre_period = std::move(input.pre_period)};
  ExitIfError("ab", ab::WriteAbPartial(flags.partial, partial));
  fmt::print(stderr, "botify ab: shard {}: {} (user, arm) totals, {} sessions{}; wrote {}\n",
             shard->ToString(), partial.log.totals.size(), partial.log.sessions.size(),
             partial.pre_period
                 ? fmt::format(", {} pre-period users", partial.pre_period->totals.size())
                 : "",
             flags.partial);
}

// `--merge PARTIAL...`: every shard's partial, merged, then the single-machine report.
void RunMerge(const AbFlags& flags) {
  std::vector<ab::AbPartial> partials;
  for (const std::string& path : flags.merge) {
    auto partial = ab::ReadAbPartial(path);
    ExitIfError("ab", partial.status().WithContext("--merge"));
    fmt::print(stderr, "botify ab: read {} (shard {}, {} (user, arm) totals)\n", path,
               partial->shard.ToString(), partial->log.totals.size());
    partials.push_back(std::move(*partial));
  }
  auto merged = ab::MergeAbPartials(std::move(partials), flags.merge);
  ExitIfError("ab", merged.status().WithContext("--merge"));
  if (!flags.options.experiment.empty() && flags.options.experiment != merged->experiment) {
    ExitIfError("ab", Status::InvalidArgument(
                          fmt::format("--experiment {}: the partials are of experiment {}",
                                      flags.options.experiment, merged->experiment)));
  }
  const ReportSetup setup = PrepareReport(flags, merged->experiment, merged->pre_logs);
  Report(flags, setup,
         AbInput{.log = std::move(merged->log),
                 .pre_period = std::move(merged->pre_period),
                 .logs = merged->logs,
                 .pre_logs = merged->pre_logs});
}

void RunAb(const AbFlags& flags) {
  if (!flags.merge.empty()) return RunMerge(flags);
  if (!flags.partial.empty()) return RunShard(flags);
  const ReportSetup setup = PrepareReport(flags, flags.options.experiment, flags.pre_logs);
  Report(flags, setup, ReadInput(flags, KeyShard{}, /*keep_sessions=*/false));
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

// With --merge the partials carry what the shards read; with --partial the report is the
// merge's. Throws a ValidationError naming the first flag in the wrong place.
void CheckShardedFlags(const AbFlags& flags, const std::vector<CLI::Option*>& read_flags,
                       const std::vector<CLI::Option*>& report_flags) {
  auto refuse = [](const std::vector<CLI::Option*>& options, const std::string& why) {
    for (const CLI::Option* o : options) {
      if (o->count() > 0) throw CLI::ValidationError(o->get_name(), why);
    }
  };
  if (!flags.merge.empty()) {
    refuse(read_flags,
           "the shards read the logs: give it to `botify ab --shard I/N --partial OUT`; the "
           "partials carry what they read");
    return;
  }
  if (flags.shard.empty() != flags.partial.empty()) {
    throw CLI::ValidationError("--shard", "--shard I/N and --partial OUT go together");
  }
  if (!flags.partial.empty()) {
    refuse(report_flags, "it shapes the report: give it to `botify ab --merge PARTIAL...`");
  }
  if (flags.logs.empty()) throw CLI::ValidationError("--logs", "is required (except with --merge)");
  if (flags.options.experiment.empty()) {
    throw CLI::ValidationError("--experiment", "is required (except with --merge)");
  }
}

void AddAbCommand(CLI::App& app) {
  auto flags = std::make_shared<AbFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ab",
      "Analyse an A/B experiment in event logs: effects with confidence intervals per "
      "treatment arm vs C (docs/contracts.md §11) and a sample-ratio-mismatch check");
  std::vector<CLI::Option*> read = {cmd->add_option(
      "--logs", flags->logs,
      "Folder (any nesting) or file of event logs (required, except with --merge)")};
  cmd->add_option("--experiment", flags->options.experiment,
                  "Experiment name, as in the rows' experiments object (required, except with "
                  "--merge)");
  std::vector<CLI::Option*> report = {
      cmd->add_option("--alpha", flags->options.alpha, "Two-sided significance level")
          ->capture_default_str(),
      cmd->add_option("--format", flags->format, "Output on stdout: table, json, csv or markdown")
          ->capture_default_str(),
      cmd->add_option("--html", flags->html, "Also write a self-contained HTML report here")};
  AddStrictFlag(cmd, &flags->strict);
  read.push_back(cmd->get_option("--strict"));
  report.push_back(
      cmd->add_option("--split", flags->options.split,
                      "Configured number of arms for the sample-ratio check (0 = arms seen)")
          ->capture_default_str());
  read.push_back(
      cmd->add_option("--memory-limit", flags->memory_limit,
                      "Memory for the experiment's rows (32 B each), e.g. 512MiB; beyond it they "
                      "spill to sorted runs in --spill-dir and are merged (same result); 0 = no "
                      "limit")
          ->transform(CLI::AsSizeValue(true))
          ->capture_default_str());
  read.push_back(cmd->add_option("--spill-dir", flags->spill_dir,
                                 "Folder for the spill files (nameless, gone when botify exits; "
                                 "default $TMPDIR or /tmp)"));
  report.push_back(
      cmd->add_option("--srm-threshold", flags->options.srm_threshold,
                      "Flag a sample ratio mismatch when the chi-square p-value is below this")
          ->capture_default_str());
  const std::vector<CLI::Option*> decision = AddDecisionOptions(cmd, flags);
  for (CLI::Option* o : decision) {
    (o->get_name() == "--pre-logs" ? read : report).push_back(o);
  }
  read.push_back(cmd->add_option(
      "--shard", flags->shard,
      "Sharded run (docs/ab.md): analyse only shard I of N of the users (a stable hash of the "
      "user id, docs/contracts.md §13), every log file read; with --partial"));
  read.push_back(cmd->add_option(
      "--partial", flags->partial,
      "With --shard: write this shard's per-(user, arm) totals here for `--merge` instead of "
      "the report"));
  cmd->add_option("--merge", flags->merge,
                  "Print the report of a sharded run from the partials of all its N shards "
                  "(`--shard I/N --partial`): the same report as one run over all users, to the "
                  "last digit. Takes the report's flags; the partials carry --logs and "
                  "--pre-logs")
      ->expected(1, -1);
  cmd->callback([flags, decision, read, report] {
    CheckShardedFlags(*flags, read, report);
    for (const CLI::Option* o : decision) flags->verdict = flags->verdict || o->count() > 0;
    RunAb(*flags);
  });
}

}  // namespace botify::tools
