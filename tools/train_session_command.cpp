// `botify train session`: the session model (engine/train/session/session_trainer.h,
// docs/recommenders.md "The session model"). The event logs' listening sessions teach
// per-track vectors how the plays of a session so far predict the next play's listen
// time; the command writes the model file (--model-out) and every track's best
// candidates under the model (--out, a contextual recommendations file), which
// `botify index build --recs OUT --session-model MODEL` puts into one index for the
// `session_model:NAME` arm.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "base/random.h"
#include "engine/catalog/catalog.h"
#include "engine/eventlog/event_log_reader.h"
#include "engine/serving/session_model_file.h"
#include "engine/train/contextual/diverse_lists.h"
#include "engine/train/contextual/target_ranker.h"
#include "engine/train/contextual/track_lists_file.h"
#include "engine/train/session/listening_sessions.h"
#include "engine/train/session/session_trainer.h"
#include "engine/train/session/user_lists.h"
#include "tools/ann_flags.h"
#include "tools/command.h"
#include "tools/log_input.h"
#include "tools/target_ranking.h"
#include "tools/train_command.h"

namespace botify::tools {
namespace {

constexpr const char* kCommand = "train session";

struct TrainSessionFlags {
  std::string logs;
  std::string output;
  std::string model_output;
  std::string user_lists_output;
  train::session::UserListOptions user_lists;
  std::string tracks;
  double validation_fraction = 0;
  AnnFlags search;
  int threads = 2;
  bool separate = false;
  bool no_artists = false;
  bool strict = false;
  bool quiet = false;
  train::session::SessionTrainOptions model;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

train::session::ListeningSessions ReadSessions(const TrainSessionFlags& flags) {
  eventlog::EventLogReader reader(LogReaderOptions(flags.strict));
  train::session::ListeningSessionBuilder builder;
  const auto start = std::chrono::steady_clock::now();
  ExitIfError(kCommand, reader.Read(flags.logs, [&](const eventlog::Event& e) { builder.Add(e); })
                            .WithContext("reading event logs"));
  const eventlog::EventLogStats& s = reader.stats();
  ExitIfError(kCommand, CheckLogInput(kCommand, flags.logs, s));
  train::session::ListeningSessionStats stats;
  auto sessions = builder.Finish(&stats);
  if (!flags.quiet) {
    fmt::print(stderr,
               "{}: read {} in {:.2f} s: {} users, {} sessions ({} rows after a user's last "
               "session unused)\n",
               kCommand, s.Summary(), SecondsSince(start), stats.users, stats.sessions,
               stats.rows_after_last);
  }
  return sessions;
}

// Appends session `s` of `from` to *to.
void CopySession(const train::session::ListeningSessions& from, std::size_t s,
                 train::session::ListeningSessions* to) {
  const auto tracks = from.Tracks(s);
  const auto times = from.Times(s);
  to->tracks.insert(to->tracks.end(), tracks.begin(), tracks.end());
  to->times.insert(to->times.end(), times.begin(), times.end());
  to->offsets.push_back(to->tracks.size());
  to->users.push_back(from.users[s]);
}

// The sessions that play only catalog tracks; the others are counted and reported.
train::session::ListeningSessions InCatalog(const train::session::ListeningSessions& sessions,
                                            std::size_t tracks) {
  train::session::ListeningSessions kept;
  std::size_t outside = 0;
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    const auto played = sessions.Tracks(s);
    if (std::any_of(played.begin(), played.end(), [&](TrackId t) { return t >= tracks; })) {
      ++outside;
    } else {
      CopySession(sessions, s, &kept);
    }
  }
  if (outside > 0) {
    fmt::print(stderr, "{}: skipped {} sessions playing a track outside the {} catalog tracks\n",
               kCommand, outside, tracks);
  }
  return kept;
}

// Splits off a seeded share of the sessions for validation.
void SplitSessions(const train::session::ListeningSessions& sessions,
                   const TrainSessionFlags& flags, train::session::ListeningSessions* train,
                   train::session::ListeningSessions* validation) {
  Rng rng = Rng::ForStream(flags.model.seed, 0x5e55);
  for (std::size_t s = 0; s < sessions.size(); ++s) {
    CopySession(sessions, s, rng.UniformDouble() < flags.validation_fraction ? validation : train);
  }
}

train::session::TrainedSessionModel Train(const train::session::ListeningSessions& train,
                                          const train::session::ListeningSessions& validation,
                                          const std::vector<ArtistId>& artist_of,
                                          const TrainSessionFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  auto model = train::session::TrainSessionModel(
      train, validation, artist_of, flags.model, [&](const train::session::SessionEpochReport& r) {
        if (flags.quiet) return;
        fmt::print(stderr, "{}: epoch {}/{}: train log loss {:.4f} rmse {:.4f}", kCommand, r.epoch,
                   r.epochs, r.train.log_loss, r.train.rmse);
        if (r.validation.targets > 0) {
          fmt::print(stderr, ", validation log loss {:.4f} rmse {:.4f}", r.validation.log_loss,
                     r.validation.rmse);
        }
        fmt::print(stderr, " ({:.1f} s)\n", SecondsSince(start));
      });
  ExitIfError(kCommand, model.status());
  if (!flags.quiet) {
    fmt::print(stderr,
               "{}: trained {} tracks x {} dims ({}{}) on {} sessions in {:.2f} s; gamma {:.3f}, "
               "offset {:.3f}\n",
               kCommand, artist_of.size(), flags.model.dim, flags.model.tied ? "tied" : "separate",
               flags.model.share_artists ? ", shared artists" : "", train.size(),
               SecondsSince(start), model->tables.gamma, model->tables.offset);
  }
  return std::move(model).value();
}

train::contextual::RankOptions RankOptionsOf(const TrainSessionFlags& flags) {
  train::contextual::RankOptions options;
  options.depth = flags.model.rank_depth;
  options.threads = flags.threads;
  auto index = flags.search.Resolve(flags.model.seed);
  ExitIfError(kCommand, index.status());
  options.index = *index;
  return options;
}

// Every track's best candidates after it: the targets a session that began with the
// track scores highest (its context row against every trained target row and bias), one
// per artist with --distinct-artists.
std::vector<std::vector<TrackId>> Rank(const train::session::TrainedSessionModel& trained,
                                       const std::vector<ArtistId>& artist_of,
                                       const TrainSessionFlags& flags) {
  const serving::SessionModelTables& t = trained.tables;
  train::contextual::ContextualModel view;
  view.tracks = t.tracks;
  view.dim = t.dim;
  view.target = t.target;
  view.context = t.tied() ? t.target : t.context;
  view.target_bias = t.bias;
  view.context_bias.assign(t.tracks, 0.0f);
  view.seen_target = trained.trained_target;
  view.trained_context.assign(t.tracks, true);
  std::vector<std::vector<TrackId>> lists(t.tracks);
  RankTargetsWithProgress(
      kCommand, view, RankOptionsOf(flags), flags.quiet,
      [&](TrackId context, std::span<const TrackId> ranked) {
        if (flags.model.distinct_artists) {
          lists[context] = train::contextual::DiverseList(
              ranked, artist_of, nullptr, {flags.model.list_depth, flags.model.list_depth});
        } else {
          const auto top = ranked.first(std::min(flags.model.list_depth, ranked.size()));
          lists[context].assign(top.begin(), top.end());
        }
      });
  return lists;
}

void Run(TrainSessionFlags flags) {
  flags.model.tied = !flags.separate;
  flags.model.share_artists = !flags.no_artists;
  ExitIfError(kCommand, flags.model.Validate());
  if (!(flags.validation_fraction >= 0 && flags.validation_fraction < 1)) {
    ExitIfError(kCommand, Status::InvalidArgument("--validation-fraction must be in [0, 1)"));
  }
  ExitIfError(kCommand, RankOptionsOf(flags).Validate());
  ExitIfError(kCommand, flags.user_lists.Validate());
  auto catalog = catalog::Catalog::LoadJsonLines(flags.tracks);
  ExitIfError(kCommand, catalog.status());
  const auto sessions = InCatalog(ReadSessions(flags), catalog->size());
  train::session::ListeningSessions train, validation;
  SplitSessions(sessions, flags, &train, &validation);
  std::vector<ArtistId> artist_of(catalog->size());
  for (TrackId t = 0; t < artist_of.size(); ++t) artist_of[t] = catalog->artist_of(t);
  const auto trained = Train(train, validation, artist_of, flags);
  const auto lists = Rank(trained, artist_of, flags);
  std::size_t written = 0;
  ExitIfError(kCommand, train::contextual::WriteTrackListsFile(flags.output, lists, &written));
  ExitIfError(kCommand, serving::WriteSessionModelFile(flags.model_output, trained.tables));
  if (!flags.quiet) {
    fmt::print(stderr, "{}: wrote {} candidate lists to {} and the model to {}\n", kCommand,
               written, flags.output, flags.model_output);
  }
  if (flags.user_lists_output.empty()) return;
  const auto user_lists =
      train::session::BuildUserLists(sessions, lists, artist_of, flags.user_lists);
  ExitIfError(kCommand,
              train::contextual::WriteUserListsFile(flags.user_lists_output, user_lists, &written));
  if (!flags.quiet) {
    fmt::print(stderr, "{}: wrote {} user lists (from their session starts) to {}\n", kCommand,
               written, flags.user_lists_output);
  }
}

void AddFlags(CLI::App* cmd, TrainSessionFlags* f) {
  auto& m = f->model;
  cmd->add_option("--logs", f->logs,
                  "Event log folder (any nesting; *.jsonl/*.json/*.log[.gz]) or file")
      ->required();
  cmd->add_option("--tracks", f->tracks, "tracks.json of the world: the catalog and its artists")
      ->required();
  cmd->add_option("-o,--out,--output", f->output,
                  "Candidate lists to write (a contextual recommendations file: per track its "
                  "best next tracks under the model)")
      ->required();
  cmd->add_option("--model-out", f->model_output,
                  "Session model file to write (for `index build --session-model`)")
      ->required();
  cmd->add_option("--user-lists-out", f->user_lists_output,
                  "Also write per-user lists for indexed:NAME: the candidates of the tracks that "
                  "started each user's sessions, interleaved, one track per artist first");
  cmd->add_option("--user-list-length", f->user_lists.length, "Tracks per user list")
      ->capture_default_str();
  cmd->add_option("--depth", m.list_depth,
                  "Candidates per track (each request scores the lists of up to 3 tracks)")
      ->capture_default_str();
  cmd->add_option("--rank-depth", m.rank_depth,
                  "Best-scored targets per track the candidates are chosen from")
      ->capture_default_str();
  cmd->add_flag("!--all-artists", m.distinct_artists,
                "Candidates need not be of distinct artists (default: one per artist)");
  cmd->add_option("--dim", m.dim, "Embedding dimensions")->capture_default_str();
  cmd->add_option("--epochs", m.epochs, "SGD epochs")->capture_default_str();
  cmd->add_option("--learning-rate", m.learning_rate, "SGD step size")->capture_default_str();
  cmd->add_option("--l2", m.l2, "L2 penalty per update on track rows and biases")
      ->capture_default_str();
  cmd->add_option("--artist-l2", m.artist_l2, "L2 penalty per update on artist rows")
      ->capture_default_str();
  cmd->add_option("--init-scale", m.init_scale, "Initial rows uniform in [-s, s)")
      ->capture_default_str();
  cmd->add_flag("--separate", f->separate,
                "Separate context and target vectors (default: one tied vector per track)");
  cmd->add_flag("--no-artists", f->no_artists, "Do not share vectors between an artist's tracks");
  cmd->add_option("--first-weight", m.first_weight,
                  "Weight of the session's first track in the query")
      ->capture_default_str();
  cmd->add_option("--surprise-weight", m.surprise_weight,
                  "Step of the query towards a play that did better than predicted (away "
                  "from one that did worse); 0 = off")
      ->capture_default_str();
  cmd->add_option("--like-threshold", m.like_threshold,
                  "Fixed weights: listen time from which a play pulls the query towards it")
      ->capture_default_str();
  cmd->add_option("--like-weight", m.like_weight,
                  "Fixed weights: pull of a play listened to fully (0 = off)")
      ->capture_default_str();
  cmd->add_option("--skip-weight", m.skip_weight,
                  "Fixed weights: push away of a play skipped at once (0 = off)")
      ->capture_default_str();
  cmd->add_option("--validation-fraction", f->validation_fraction,
                  "Share of sessions held out to report a validation log loss per epoch")
      ->capture_default_str();
  f->search.Add(cmd, "--ann", "track's", "targets");
  cmd->add_option("--seed", m.seed, "Seed (initialisation, session order, split)")
      ->capture_default_str();
  cmd->add_option("--threads", f->threads,
                  "Ranking threads (training runs on one; the result does not depend on it)")
      ->capture_default_str();
  AddStrictFlag(cmd, &f->strict);
  cmd->add_flag("-q,--quiet", f->quiet, "No progress or summary on stderr");
}

}  // namespace

void AddTrainSessionCommand(CLI::App& app) {
  CLI::App* cmd = TrainCommand(app)->add_subcommand(
      "session",
      "Session model: event logs -> a model of the listener's current session and its "
      "candidate lists (serve with index build --session-model and session_model:NAME)");
  auto flags = std::make_shared<TrainSessionFlags>();
  flags->threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  AddFlags(cmd, flags.get());
  cmd->callback([flags] { Run(*flags); });
}

}  // namespace botify::tools
