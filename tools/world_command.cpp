// `botify world gen`: writes a world (tracks.json, tracks.npy, users.json) into a folder:
// the embedded default world, or with --catalog a world over a real catalog (and with
// --users FILE its users); with --drift also the optional drift.json / drift.npy.
// See engine/world/world_generator.h and engine/world/appeal_drift.h for the models.
#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>

#include "base/file.h"
#include "base/line_reader.h"
#include "engine/world/appeal_drift.h"
#include "engine/world/users_file.h"
#include "engine/world/world_generator.h"
#include "tools/command.h"

namespace botify::tools {
namespace {

constexpr const char* kCommand = "world gen";

struct WorldGenFlags {
  std::string out;
  std::string preset = "default";
  world::WorldOptions overrides;  // fields set on the command line replace the preset's
  std::string catalog;            // a tracks.json to build the world over
  std::string users;              // a number of users to generate, or a users.json to keep
  bool drift = false;             // also write drift.json / drift.npy
  world::AppealDriftOptions drift_options;  // seed: the world's
};

CLI::Option* AddOverride(CLI::App* gen, const std::string& flag, auto* field,
                         const std::string& help) {
  return gen->add_option(flag, *field, help);
}

void AddDriftFlags(CLI::App* gen, WorldGenFlags* flags) {
  gen->add_flag("--drift", flags->drift,
                "Also write drift.json and drift.npy: each track's appeal drifts over "
                "simulated days (per-track trends and new releases); the other files are "
                "unchanged. Off by default");
  world::AppealDriftOptions& d = flags->drift_options;
  auto add = [gen](const std::string& flag, double* field, const std::string& help) {
    gen->add_option(flag, *field, help)->capture_default_str()->needs("--drift");
  };
  add("--drift-trend-scale", &d.trend_scale,
      "Drift: sd of a track's trend, in dot-product units per day");
  add("--drift-release-share", &d.release_share, "Drift: share of tracks that are new releases");
  add("--drift-release-peak", &d.release_peak, "Drift: a release's offset at its peak");
  add("--drift-release-rise-days", &d.release_rise_days, "Drift: days from release to peak");
  add("--drift-release-fade-days", &d.release_fade_days,
      "Drift: time constant (days) of a release's fade after its peak");
  add("--drift-release-window-days", &d.release_window_days,
      "Drift: release days are uniform in [0, this)");
}

// The preset with the flags given on the command line applied.
world::WorldOptions Options(const WorldGenFlags& flags, const CLI::App& gen) {
  auto preset = world::WorldOptions::Preset(flags.preset);
  ExitIfError(kCommand, preset.status());
  world::WorldOptions o = *preset;
  const world::WorldOptions& f = flags.overrides;
  auto set = [&gen](const char* flag, auto* dst, auto src) {
    if (gen.count(flag) > 0) *dst = src;
  };
  set("--tracks", &o.tracks, f.tracks);
  set("--artists", &o.artists, f.artists);
  set("--genres", &o.genres, f.genres);
  set("--dim", &o.dim, f.dim);
  set("--seed", &o.seed, f.seed);
  set("--common-scale", &o.common_scale, f.common_scale);
  set("--genre-scale", &o.genre_scale, f.genre_scale);
  set("--artist-scale", &o.artist_scale, f.artist_scale);
  set("--track-scale", &o.track_scale, f.track_scale);
  set("--artist-zipf", &o.artist_zipf, f.artist_zipf);
  return o;
}

bool IsCount(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// The text of a JSON-lines file as read (gzip decompressed), '\n'-terminated lines.
Result<std::string> ReadLines(const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::string text;
  std::string_view line;
  while ((*reader)->Next(&line)) {
    text.append(line);
    text.push_back('\n');
  }
  BOTIFY_RETURN_IF_ERROR((*reader)->status());
  return text;
}

// Writes `text` to `path` unless `path` is the very file `source` (kept as it is).
Status CopyText(const std::string& source, const std::string& text, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::equivalent(source, path, ec)) return Status::Ok();
  return WriteWholeFile(path, text);
}

// --catalog: the world over a real catalog, its files kept line for line (extra fields
// included), the embeddings (and without --users FILE the users) generated. Returns the
// number of tracks.
std::uint32_t GenerateOverCatalog(const WorldGenFlags& flags, const world::WorldOptions& o) {
  const std::filesystem::path out(flags.out);
  std::error_code ec;
  if (std::filesystem::exists(out / world::kEmbeddingsNpy, ec)) {
    ExitIfError(kCommand, Status::InvalidArgument(fmt::format(
                              "{} already holds {}; the world would have two embeddings files "
                              "(remove it or choose another --out)",
                              flags.out, world::kEmbeddingsNpy)));
  }
  auto loaded = catalog::Catalog::LoadJsonLines(flags.catalog);
  ExitIfError(kCommand, loaded.status());
  auto tracks_text = ReadLines(flags.catalog);
  ExitIfError(kCommand, tracks_text.status());
  // Artist ids by first appearance in id order, so that the line order does not matter.
  auto catalog = catalog::Catalog::FromRecords(loaded->ToRecords());
  ExitIfError(kCommand, catalog.status());
  const bool keep_users = !IsCount(flags.users) && !flags.users.empty();
  std::vector<world::User> users;
  std::string users_text;
  if (keep_users) {
    auto read = world::LoadUsers(flags.users, catalog->size());
    ExitIfError(kCommand, read.status());
    users = std::move(*read);
    auto text = ReadLines(flags.users);
    ExitIfError(kCommand, text.status());
    users_text = std::move(*text);
  }
  fmt::print(stderr,
             "world gen: over {} ({} tracks, {} artists), {} genres, dim {}, seed {}; users: {}\n",
             flags.catalog, catalog->size(), catalog->artist_count(), o.genres, o.dim, o.seed,
             keep_users ? fmt::format("{} from {}", users.size(), flags.users)
                        : fmt::format("{} generated", o.users));
  auto world = world::GenerateWorldOverCatalog(o, std::move(*catalog), std::move(users));
  ExitIfError(kCommand, world.status());
  std::filesystem::create_directories(out, ec);
  if (ec) ExitIfError(kCommand, Status::IoError(flags.out + ": cannot create: " + ec.message()));
  ExitIfError(kCommand, CopyText(flags.catalog, *tracks_text, (out / world::kTracksJson).string()));
  ExitIfError(kCommand, WriteNpy((out / world::kTracksNpy).string(), world->embeddings));
  const std::string users_path = (out / world::kUsersJson).string();
  ExitIfError(kCommand, keep_users ? CopyText(flags.users, users_text, users_path)
                                   : world::WriteUsers(users_path, world->users));
  return static_cast<std::uint32_t>(world->catalog.size());
}

void RunWorldGen(const WorldGenFlags& flags, const CLI::App& gen) {
  world::WorldOptions o = Options(flags, gen);
  if (IsCount(flags.users)) {
    std::uint64_t n = 0;
    const char* end = flags.users.data() + flags.users.size();
    if (std::from_chars(flags.users.data(), end, n).ec != std::errc() || n > UINT32_MAX) {
      ExitIfError(kCommand, Status::InvalidArgument("--users " + flags.users + " is too large"));
    }
    o.users = static_cast<std::uint32_t>(n);
  } else if (!flags.users.empty() && flags.catalog.empty()) {
    ExitIfError(kCommand, Status::InvalidArgument(
                              "--users FILE needs --catalog (the users' interests are track ids "
                              "of that catalog); without it give a number of users"));
  }
  const auto start = std::chrono::steady_clock::now();
  if (!flags.catalog.empty()) {
    o.tracks = GenerateOverCatalog(flags, o);
  } else {
    ExitIfError(kCommand, o.Validate());
    fmt::print(stderr, "world gen: {} tracks, {} artists, {} genres, {} users, dim {}, seed {}\n",
               o.tracks, o.artists, o.genres, o.users, o.dim, o.seed);
    auto world = world::GenerateWorld(o);
    ExitIfError(kCommand, world.status());
    ExitIfError(kCommand, world->Write(flags.out));
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  fmt::print(stderr, "world gen: wrote {}/{{{},{},{}}} in {:.1f} s\n", flags.out,
             world::kTracksJson, world::kTracksNpy, world::kUsersJson, took.count());
  if (!flags.drift) return;
  world::AppealDriftOptions drift_options = flags.drift_options;
  drift_options.seed = o.seed;
  ExitIfError(kCommand, drift_options.Validate());
  ExitIfError(kCommand, world::AppealDrift::Generate(drift_options, o.tracks).Write(flags.out));
  fmt::print(stderr, "world gen: wrote the drift {}/{{{},{}}} (botify sim --drift applies it)\n",
             flags.out, world::kDriftJson, world::kDriftNpy);
}

void AddWorldGenCommand(CLI::App* world) {
  CLI::App* gen = world->add_subcommand(
      "gen",
      "Generate a deterministic world: tracks.json, tracks.npy, users.json (the default world, "
      "or one over a real catalog with --catalog)");
  auto flags = std::make_shared<WorldGenFlags>();
  gen->add_option("--out", flags->out, "Output directory (created if missing)")->required();
  gen->add_option("--preset", flags->preset, "Size preset: default (50k tracks) or small (2k)")
      ->capture_default_str();
  CLI::Option* catalog =
      gen->add_option("--catalog", flags->catalog,
                      "A tracks.json (JSON lines track, artist[, title]) to build the world "
                      "over: its ids, artists and titles are kept (the file is copied line for "
                      "line), embeddings and genres are generated over its artists");
  gen->add_option("--users", flags->users,
                  "Number of users to generate (default: the preset's), or with --catalog a "
                  "users.json whose users and interests are kept (copied line for line)");
  world::WorldOptions& o = flags->overrides;
  AddOverride(gen, "--tracks", &o.tracks, "Number of tracks (overrides the preset)")
      ->excludes(catalog);
  AddOverride(gen, "--artists", &o.artists, "Number of artists")->excludes(catalog);
  AddOverride(gen, "--genres", &o.genres, "Number of genres");
  AddOverride(gen, "--dim", &o.dim, "Embedding dimension");
  AddOverride(gen, "--seed", &o.seed, "Random seed (default 42)");
  AddOverride(gen, "--common-scale", &o.common_scale, "Norm of the vector all tracks share");
  AddOverride(gen, "--genre-scale", &o.genre_scale, "Norm of a genre's offset");
  AddOverride(gen, "--artist-scale", &o.artist_scale, "Norm of an artist's offset from its genre");
  AddOverride(gen, "--track-scale", &o.track_scale, "Norm of a track's offset from its artist");
  AddOverride(gen, "--artist-zipf", &o.artist_zipf, "Zipf exponent of artist popularity")
      ->excludes(catalog);
  AddDriftFlags(gen, flags.get());
  gen->callback([flags, gen] { RunWorldGen(*flags, *gen); });
}

}  // namespace

void AddWorldCommand(CLI::App& app) {
  CLI::App* world = app.add_subcommand("world", "The simulated world (catalog, embeddings, users)");
  world->require_subcommand(1);
  AddWorldGenCommand(world);
  AddWorldCheckCommand(world);
}

}  // namespace botify::tools
