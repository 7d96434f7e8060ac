// `botify train ub`: user-based collaborative filtering (docs/contracts.md §10) from event logs to
// the recommendations file, with an optional offline hold-out evaluation (--eval).
#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <thread>

#include "engine/eventlog/event_consumer.h"
#include "engine/eventlog/event_log_reader.h"
#include "engine/train/ub/holdout_evaluation.h"
#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/user_based_cf.h"
#include "engine/train/ub/user_lists_file.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/train_command.h"

namespace botify::tools {
namespace {

constexpr const char* kCommand = "train ub";

struct TrainUbFlags {
  std::string logs;
  std::string users_shard;  // "I/N", parsed into model.users_shard
  std::string output;
  bool strict = false;
  bool quiet = false;
  bool eval = false;
  train::ub::UserBasedOptions model;
  train::ub::HoldoutOptions holdout;
};

// Seconds since construction, for the stderr summary.
class Stopwatch {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // CPU seconds of the whole process (all threads) since construction: less sensitive
  // than wall time to other load on the machine.
  double CpuSeconds() const {
    return static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::clock_t cpu_start_ = std::clock();
};

// Prints at most one progress line a second to stderr (none with --quiet).
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet) {}
  template <typename... Args>
  void Print(fmt::format_string<Args...> format, Args&&... args) {
    if (quiet_ || since_.Seconds() - last_ < 1.0) return;
    last_ = since_.Seconds();
    fmt::print(stderr, format, std::forward<Args>(args)...);
  }

 private:
  bool quiet_;
  Stopwatch since_;
  double last_ = -1.0;
};

// Streams every event of --logs to `consumer`; prints progress and bad-line reports.
template <class Consumer>
void ReadLogs(const TrainUbFlags& flags, Consumer& consumer) {
  eventlog::EventLogReader reader(LogReaderOptions(flags.strict));
  Progress progress(flags.quiet);
  reader.set_on_file_done([&](const std::string& path, const eventlog::EventLogStats& s) {
    progress.Print("train ub: read {} files, {} rows (last {})\n", s.files, s.rows, path);
  });
  const Stopwatch watch;
  ExitIfError(kCommand,
              eventlog::ReadInto(reader, flags.logs, consumer).WithContext("reading event logs"));
  const eventlog::EventLogStats& s = reader.stats();
  if (!flags.quiet) {
    fmt::print(stderr, "train ub: read {} in {:.2f} s (cpu {:.2f} s)\n", s.Summary(),
               watch.Seconds(), watch.CpuSeconds());
  }
  ExitIfError(kCommand, CheckLogInput(kCommand, flags.logs, s));
}

std::vector<train::ub::UserList> Train(const train::ub::InteractionMatrix& m,
                                       const TrainUbFlags& flags) {
  Progress progress(flags.quiet);
  const Stopwatch watch;
  train::ub::UserBasedStats stats;
  auto lists = train::ub::TrainUserBased(
      m, flags.model,
      [&](std::size_t done, std::size_t total) {
        progress.Print("train ub: scored {}/{} users\n", done, total);
      },
      &stats);
  ExitIfError(kCommand, lists.status());
  if (!flags.quiet) {
    fmt::print(stderr,
               "train ub: {} users x {} tracks, {} cells, {} zero-norm users, {} neighbour "
               "pairs; scored in {:.2f} s (cpu {:.2f} s) on {} threads\n",
               stats.users, stats.tracks, stats.entries, stats.zero_norm_users,
               stats.neighbour_pairs, watch.Seconds(), watch.CpuSeconds(), flags.model.threads);
    if (flags.model.candidates_per_track > 0) {
      fmt::print(stderr,
                 "train ub: bounded mode, at most {} candidates per track ({} index entries): "
                 "{} candidate pairs scored, at most {} for one user\n",
                 flags.model.candidates_per_track, stats.candidate_index_entries,
                 stats.candidate_pairs, stats.max_candidates);
    }
  }
  return std::move(lists).value();
}

void RunTrain(const TrainUbFlags& flags) {
  train::ub::InteractionMatrixBuilder builder;
  ReadLogs(flags, builder);
  const train::ub::InteractionMatrix m = builder.Build();
  const auto lists = Train(m, flags);
  ExitIfError(kCommand, train::ub::WriteUserListsFile(flags.output, lists));
  if (!flags.quiet) {
    fmt::print(stderr, "train ub: wrote {} lists{} to {}\n", lists.size(),
               flags.model.users_shard.all()
                   ? ""
                   : fmt::format(" (users shard {} of {} users)",
                                 flags.model.users_shard.ToString(), m.num_users()),
               flags.output);
  }
}

void PrintQualityRow(const char* name, const train::ub::RankingQuality& q) {
  fmt::print("| {} | {} | {:.4f} | {:.4f} |\n", name, q.users, q.precision, q.recall);
}

void RunEval(const TrainUbFlags& flags) {
  ExitIfError(kCommand, flags.holdout.Validate());
  train::ub::TimedRows read;
  ReadLogs(flags, read);
  train::ub::HoldoutSplit split = train::ub::SplitHoldout(std::move(read.rows), flags.holdout);
  const train::ub::InteractionMatrix m = split.train.Build();
  const std::size_t k = flags.holdout.k;
  TrainUbFlags train_flags = flags;
  train_flags.model.top_k = std::max(k, flags.model.top_k);
  const auto lists = Train(m, train_flags);
  fmt::print(
      "hold-out: {} test rows of {} users (test fraction {}, seed {}), relevant = time > {}\n\n",
      split.test_rows, split.relevant.size(), flags.holdout.test_fraction, flags.holdout.seed,
      flags.holdout.relevant_time);
  fmt::print("| model | users | precision@{} | recall@{} |\n|---|---|---|---|\n", k, k);
  PrintQualityRow("user-based CF", train::ub::Evaluate(lists, split, k));
  PrintQualityRow("top popular",
                  train::ub::Evaluate(train::ub::PopularityLists(split, k), split, k));
}

// Digits only: CLI11 would read "-1" into a std::size_t as 2^64 - 1.
CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) return {};
        return "must be a whole number >= 0 (0 = off), got '" + value + "'";
      },
      "N>=0");
}

void AddFlags(CLI::App* cmd, TrainUbFlags* f) {
  cmd->add_option("--logs", f->logs,
                  "Event log folder (any nesting; *.jsonl/*.json/*.log[.gz]) or file")
      ->required();
  cmd->add_option("-o,--out,--output", f->output, "Recommendations file to write (JSON lines)");
  cmd->add_option("-k,--top-k", f->model.top_k, "Tracks per user")->capture_default_str();
  cmd->add_option("--threads", f->model.threads, "Worker threads")->capture_default_str();
  cmd->add_option("--neighbours", f->model.neighbours,
                  "Keep only the k most similar users (0 = all, the exact seminar method)")
      ->capture_default_str();
  auto* capped =
      cmd->add_option("--candidates-per-track", f->model.candidates_per_track,
                      "Bounded mode (0 = off, the exact method): candidate neighbours are "
                      "only the users an inverted index keeps per track, at most N (a seeded "
                      "sample of a popular track's users); exact cosine against those only. "
                      "Time and memory grow about linearly with the rows instead of with users "
                      "x users sharing a track; the price is neighbours missed through popular "
                      "tracks (measured in docs/scale.md). A cap >= the users of the most "
                      "played track gives the exact lists. Pair with --neighbours to bound "
                      "the scoring too")
          ->capture_default_str()
          ->check(WholeNumber());
  cmd->add_option("--candidate-seed", f->model.candidate_seed,
                  "Seed of the per-track sample of --candidates-per-track")
      ->capture_default_str()
      ->needs(capped);
  cmd->add_flag("--exclude-played", f->model.exclude_played, "Never recommend a user's own tracks");
  cmd->add_option("--users-shard", f->users_shard,
                  "Score only shard I of N of the users (a stable hash of the user id, "
                  "docs/contracts.md §13), every log still read: the lists are the unsharded "
                  "run's, and the N shards' files together are its file (docs/scale.md)");
  cmd->add_option("--shrinkage", f->model.shrinkage,
                  "Shrink similarity by n/(n+λ), n = common tracks (0 = off)")
      ->capture_default_str();
  AddStrictFlag(cmd, &f->strict);
  cmd->add_flag("-q,--quiet", f->quiet, "No progress or summary on stderr");
  cmd->add_flag("--eval", f->eval, "Evaluate on a time-ordered hold-out instead of writing lists");
  cmd->add_option("--eval-k", f->holdout.k, "k of precision@k / recall@k")->capture_default_str();
  cmd->add_option("--eval-test-fraction", f->holdout.test_fraction,
                  "Latest share of each user's rows held out")
      ->capture_default_str();
  cmd->add_option("--eval-user-fraction", f->holdout.user_fraction, "Share of users evaluated")
      ->capture_default_str();
  cmd->add_option("--eval-relevant-time", f->holdout.relevant_time,
                  "Held-out rows with time above this are relevant")
      ->capture_default_str();
  cmd->add_option("--seed", f->holdout.seed, "Seed of the hold-out user sample")
      ->capture_default_str();
}

}  // namespace

void AddTrainUbCommand(CLI::App& app) {
  CLI::App* cmd =
      TrainCommand(app)->add_subcommand("ub",
                                        "User-based collaborative filtering (docs/contracts.md "
                                        "§10): event logs -> top-K tracks per user");
  auto flags = std::make_shared<TrainUbFlags>();
  flags->model.threads = std::max(1u, std::thread::hardware_concurrency());
  AddFlags(cmd, flags.get());
  cmd->callback([flags] {
    if (!flags->users_shard.empty()) {
      if (flags->eval) {
        throw CLI::ValidationError("--users-shard",
                                   "--eval evaluates every user: run it unsharded");
      }
      auto shard = KeyShard::Parse(flags->users_shard);
      ExitIfError(kCommand, shard.status().WithContext("--users-shard"));
      flags->model.users_shard = *shard;
    }
    ExitIfError(kCommand, flags->model.Validate());
    if (flags->eval) return RunEval(*flags);
    if (flags->output.empty()) {
      ExitIfError(kCommand, Status::InvalidArgument("--output is required (or use --eval)"));
    }
    RunTrain(*flags);
  });
}

}  // namespace botify::tools
