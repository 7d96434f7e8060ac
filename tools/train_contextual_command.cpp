// `botify train contextual`: the course's contextual recommender (issue 13). Sessions of
// the event logs give (first track, later track, time) pairs; context and target
// embeddings are fitted so that their dot product predicts the time; every track's
// top-K targets become the contextual recommendations file (docs/contracts.md §6), plainly and/or
// re-ranked so that artists do not repeat (--diverse-out).
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "base/key_shard.h"
#include "base/random.h"
#include "engine/catalog/catalog.h"
#include "engine/eventlog/event_consumer.h"
#include "engine/eventlog/event_log_reader.h"
#include "engine/train/contextual/contextual_trainer.h"
#include "engine/train/contextual/diverse_lists.h"
#include "engine/train/contextual/session_pairs.h"
#include "engine/train/contextual/target_ranker.h"
#include "engine/train/contextual/track_lists_file.h"
#include "tools/ann_flags.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/target_ranking.h"
#include "tools/train_command.h"

namespace botify::tools {
namespace {

constexpr const char* kCommand = "train contextual";

struct TrainContextualFlags {
  std::string logs;
  std::string output;
  std::string diverse_output;
  std::string tracks;
  std::size_t top_k = 100;
  std::size_t candidates = 200;
  std::size_t distinct_depth = 30;
  double validation_fraction = 0;
  AnnFlags search;
  std::string anchors_shard_text;  // --anchors-shard I/N, parsed into anchors_shard
  KeyShard anchors_shard;
  bool separate = false;
  bool no_artists = false;
  bool strict = false;
  bool quiet = false;
  train::contextual::ContextualOptions model;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Reads --logs into session pairs; reports bad lines with file and line.
std::vector<train::contextual::ContextPair> ReadPairs(const TrainContextualFlags& flags,
                                                      train::contextual::SessionPairStats* stats) {
  eventlog::EventLogReader reader(LogReaderOptions(flags.strict));
  train::contextual::SessionPairBuilder builder;
  const auto start = std::chrono::steady_clock::now();
  ExitIfError(kCommand,
              eventlog::ReadInto(reader, flags.logs, builder).WithContext("reading event logs"));
  const eventlog::EventLogStats& s = reader.stats();
  ExitIfError(kCommand, CheckLogInput(kCommand, flags.logs, s));
  auto pairs = builder.Finish(stats);
  if (!flags.quiet) {
    fmt::print(stderr,
               "{}: read {} in {:.2f} s: {} users, {} sessions, {} pairs ({} self and {} repeated "
               "targets skipped, {} rows after a user's last session unused)\n",
               kCommand, s.Summary(), SecondsSince(start), stats->users, stats->sessions,
               stats->pairs, stats->self_targets, stats->repeated_targets, stats->rows_after_last);
  }
  return pairs;
}

// Drops pairs outside the catalog; splits off a seeded validation sample.
void SplitPairs(std::vector<train::contextual::ContextPair> pairs, std::size_t tracks,
                const TrainContextualFlags& flags,
                std::vector<train::contextual::ContextPair>* train,
                std::vector<train::contextual::ContextPair>* validation) {
  Rng rng = Rng::ForStream(flags.model.seed, 0x7a11);
  std::size_t outside = 0;
  for (const auto& p : pairs) {
    if (p.context >= tracks || p.target >= tracks) {
      ++outside;
      continue;
    }
    (rng.UniformDouble() < flags.validation_fraction ? validation : train)->push_back(p);
  }
  if (outside > 0) {
    fmt::print(stderr, "{}: skipped {} pairs with a track outside the {} catalog tracks\n",
               kCommand, outside, tracks);
  }
}

train::contextual::ContextualModel Train(
    const std::vector<train::contextual::ContextPair>& train,
    const std::vector<train::contextual::ContextPair>& validation, std::size_t tracks,
    const std::vector<ArtistId>& artist_of, const TrainContextualFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  auto model = train::contextual::TrainContextual(
      train, validation, tracks, flags.model,
      [&](const train::contextual::EpochReport& r) {
        if (flags.quiet) return;
        fmt::print(stderr, "{}: epoch {}/{}: train rmse {:.4f}", kCommand, r.epoch, r.epochs,
                   r.train_rmse);
        if (!validation.empty()) fmt::print(stderr, ", validation rmse {:.4f}", r.validation_rmse);
        fmt::print(stderr, " ({:.1f} s)\n", SecondsSince(start));
      },
      artist_of);
  ExitIfError(kCommand, model.status());
  if (!flags.quiet) {
    fmt::print(stderr,
               "{}: trained {} tracks x {} dims ({}{}) on {} pairs in {:.2f} s, {} threads\n",
               kCommand, tracks, flags.model.dim, flags.model.tied ? "tied" : "separate",
               artist_of.empty() ? "" : ", shared artists", train.size(), SecondsSince(start),
               flags.model.threads);
  }
  return std::move(model).value();
}

train::contextual::RankOptions RankOptionsOf(const TrainContextualFlags& flags) {
  train::contextual::RankOptions options;
  options.depth =
      flags.diverse_output.empty() ? flags.top_k : std::max(flags.top_k, flags.candidates);
  options.threads = flags.model.threads;
  auto index = flags.search.Resolve(flags.model.seed);
  ExitIfError(kCommand, index.status());
  options.index = *index;
  options.contexts_shard = flags.anchors_shard;
  return options;
}

struct Lists {
  std::vector<std::vector<TrackId>> plain;
  std::vector<std::vector<TrackId>> diverse;
};

Lists Rank(const train::contextual::ContextualModel& model, const std::vector<ArtistId>& artist_of,
           const TrainContextualFlags& flags) {
  const bool want_diverse = !flags.diverse_output.empty();
  Lists lists;
  lists.plain.resize(flags.output.empty() ? 0 : model.tracks);
  lists.diverse.resize(want_diverse ? model.tracks : 0);
  const train::contextual::DiverseOptions diverse{flags.top_k, flags.distinct_depth};
  RankTargetsWithProgress(kCommand, model, RankOptionsOf(flags), flags.quiet,
                          [&](TrackId context, std::span<const TrackId> ranked) {
                            if (!lists.plain.empty()) {
                              const auto top = ranked.first(std::min(flags.top_k, ranked.size()));
                              lists.plain[context].assign(top.begin(), top.end());
                            }
                            if (want_diverse) {
                              lists.diverse[context] = train::contextual::DiverseList(
                                  ranked, artist_of, &artist_of[context], diverse);
                            }
                          });
  return lists;
}

void Write(const std::string& path, const std::vector<std::vector<TrackId>>& lists,
           const char* what, const TrainContextualFlags& flags) {
  if (path.empty()) return;
  std::size_t written = 0;
  ExitIfError(kCommand, train::contextual::WriteTrackListsFile(path, lists, &written));
  if (!flags.quiet)
    fmt::print(stderr, "{}: wrote {} {} lists to {}\n", kCommand, written, what, path);
}

void Run(TrainContextualFlags flags) {
  flags.model.tied = !flags.separate;
  if (!flags.anchors_shard_text.empty()) {
    auto shard = KeyShard::Parse(flags.anchors_shard_text);
    ExitIfError(kCommand, shard.status().WithContext("--anchors-shard"));
    flags.anchors_shard = *shard;
  }
  ExitIfError(kCommand, flags.model.Validate());
  if (flags.output.empty() && flags.diverse_output.empty()) {
    ExitIfError(kCommand, Status::InvalidArgument("give --output and/or --diverse-out"));
  }
  if (!flags.diverse_output.empty() && flags.tracks.empty()) {
    ExitIfError(kCommand, Status::InvalidArgument("--diverse-out needs --tracks (the artists)"));
  }
  if (!(flags.validation_fraction >= 0 && flags.validation_fraction < 1)) {
    ExitIfError(kCommand, Status::InvalidArgument("--validation-fraction must be in [0, 1)"));
  }
  ExitIfError(kCommand, RankOptionsOf(flags).Validate());
  std::optional<catalog::Catalog> catalog;
  if (!flags.tracks.empty()) {
    auto loaded = catalog::Catalog::LoadJsonLines(flags.tracks);
    ExitIfError(kCommand, loaded.status());
    catalog.emplace(std::move(loaded).value());
  }
  train::contextual::SessionPairStats stats;
  auto pairs = ReadPairs(flags, &stats);
  const std::size_t tracks = catalog ? catalog->size() : std::size_t{stats.max_track} + 1;
  std::vector<train::contextual::ContextPair> train, validation;
  SplitPairs(std::move(pairs), tracks, flags, &train, &validation);
  std::vector<ArtistId> artist_of;  // by track, empty without --tracks
  for (TrackId t = 0; catalog && t < tracks; ++t) artist_of.push_back(catalog->artist_of(t));
  const auto model = Train(train, validation, tracks,
                           flags.no_artists ? std::vector<ArtistId>{} : artist_of, flags);
  const Lists lists = Rank(model, artist_of, flags);
  Write(flags.output, lists.plain, "contextual", flags);
  Write(flags.diverse_output, lists.diverse, "diverse contextual", flags);
}

void AddFlags(CLI::App* cmd, TrainContextualFlags* f) {
  cmd->add_option("--logs", f->logs,
                  "Event log folder (any nesting; *.jsonl/*.json/*.log[.gz]) or file")
      ->required();
  cmd->add_option("-o,--out,--output", f->output,
                  "Contextual recommendations file to write (JSON lines, top-K by score)");
  cmd->add_option("--diverse-out", f->diverse_output,
                  "Also/instead write the diverse lists: no artist repeats among the first "
                  "--distinct-depth (needs --tracks)");
  cmd->add_option("--tracks", f->tracks,
                  "tracks.json of the world: the catalog (lists for every track) and artists");
  cmd->add_option("-k,--top-k", f->top_k, "Tracks per list")->capture_default_str();
  cmd->add_option("--candidates", f->candidates,
                  "Best-scored candidates the diverse lists are re-ranked from")
      ->capture_default_str();
  cmd->add_option("--distinct-depth", f->distinct_depth,
                  "Diverse lists: positions with at most one track per artist")
      ->capture_default_str();
  cmd->add_option("--dim", f->model.dim, "Embedding dimensions")->capture_default_str();
  cmd->add_option("--epochs", f->model.epochs, "SGD epochs")->capture_default_str();
  cmd->add_option("--learning-rate", f->model.learning_rate, "SGD step size")
      ->capture_default_str();
  cmd->add_option("--l2", f->model.l2, "L2 penalty per update")->capture_default_str();
  cmd->add_option("--artist-l2", f->model.artist_l2, "L2 penalty per update on artist vectors")
      ->capture_default_str();
  cmd->add_flag("--no-artists", f->no_artists,
                "Do not share vectors between an artist's tracks (the catalog's artists are "
                "used only with --tracks)");
  cmd->add_option("--negatives", f->model.negatives,
                  "Random targets per pair fitted to time 0 (0 = none)")
      ->capture_default_str();
  cmd->add_option("--negative-weight", f->model.negative_weight,
                  "Weight of a negative's squared error")
      ->capture_default_str();
  cmd->add_option("--init-scale", f->model.init_scale, "Initial embeddings uniform in [-s, s)")
      ->capture_default_str();
  cmd->add_flag("--separate", f->separate,
                "Separate context and target tables (default: one tied table)");
  cmd->add_option("--validation-fraction", f->validation_fraction,
                  "Share of pairs held out to report a validation RMSE per epoch")
      ->capture_default_str();
  f->search.Add(cmd, "--ann", "track's", "targets");
  cmd->add_option("--seed", f->model.seed, "Seed (initialisation, order, negatives, split)")
      ->capture_default_str();
  cmd->add_option("--threads", f->model.threads,
                  "Worker threads (the result does not depend on it)")
      ->capture_default_str();
  AddStrictFlag(cmd, &f->strict);
  cmd->add_flag("-q,--quiet", f->quiet, "No progress or summary on stderr");
  cmd->add_option("--anchors-shard", f->anchors_shard_text,
                  "Rank only shard I of N of the anchor (context) tracks (a stable hash of the "
                  "track id, docs/contracts.md §13): the model is trained as ever (it depends "
                  "on the seed alone), each list is the unsharded run's, and the N shards' "
                  "files together hold its lines (docs/scale.md)");
}

}  // namespace

void AddTrainContextualCommand(CLI::App& app) {
  CLI::App* cmd = TrainCommand(app)->add_subcommand(
      "contextual", "Contextual recommender (issue 13): event logs -> top-K next tracks per track");
  auto flags = std::make_shared<TrainContextualFlags>();
  flags->model.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  AddFlags(cmd, flags.get());
  cmd->callback([flags] { Run(*flags); });
}

}  // namespace botify::tools
