// `botify world gen`: writes the embedded default world (tracks.json, tracks.npy,
// users.json) into a directory, and with --drift the optional drift.json / drift.npy.
// See engine/world/world_generator.h and engine/world/appeal_drift.h for the models.
#include <fmt/core.h>

#include <chrono>

#include "engine/world/appeal_drift.h"
#include "engine/world/world_generator.h"
#include "tools/command.h"

namespace botify::tools {
namespace {

struct WorldGenFlags {
  std::string out;
  std::string preset = "default";
  world::WorldOptions overrides;            // fields set on the command line replace the preset's
  bool drift = false;                       // also write drift.json / drift.npy
  world::AppealDriftOptions drift_options;  // seed: the world's
};

void AddOverride(CLI::App* gen, const std::string& flag, auto* field, const std::string& help) {
  gen->add_option(flag, *field, help);
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

void RunWorldGen(const WorldGenFlags& flags, const CLI::App& gen) {
  const char* kCommand = "world gen";
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
  set("--users", &o.users, f.users);
  set("--dim", &o.dim, f.dim);
  set("--seed", &o.seed, f.seed);
  set("--common-scale", &o.common_scale, f.common_scale);
  set("--genre-scale", &o.genre_scale, f.genre_scale);
  set("--artist-scale", &o.artist_scale, f.artist_scale);
  set("--track-scale", &o.track_scale, f.track_scale);
  set("--artist-zipf", &o.artist_zipf, f.artist_zipf);
  ExitIfError(kCommand, o.Validate());
  const auto start = std::chrono::steady_clock::now();
  fmt::print(stderr, "world gen: {} tracks, {} artists, {} genres, {} users, dim {}, seed {}\n",
             o.tracks, o.artists, o.genres, o.users, o.dim, o.seed);
  auto world = world::GenerateWorld(o);
  ExitIfError(kCommand, world.status());
  ExitIfError(kCommand, world->Write(flags.out));
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

}  // namespace

void AddWorldCommand(CLI::App& app) {
  CLI::App* world = app.add_subcommand("world", "The simulated world (catalog, embeddings, users)");
  world->require_subcommand(1);
  CLI::App* gen = world->add_subcommand(
      "gen", "Generate a deterministic world: tracks.json, tracks.npy, users.json");
  auto flags = std::make_shared<WorldGenFlags>();
  gen->add_option("--out", flags->out, "Output directory (created if missing)")->required();
  gen->add_option("--preset", flags->preset, "Size preset: default (50k tracks) or small (2k)")
      ->capture_default_str();
  world::WorldOptions& o = flags->overrides;
  AddOverride(gen, "--tracks", &o.tracks, "Number of tracks (overrides the preset)");
  AddOverride(gen, "--artists", &o.artists, "Number of artists");
  AddOverride(gen, "--genres", &o.genres, "Number of genres");
  AddOverride(gen, "--users", &o.users, "Number of users");
  AddOverride(gen, "--dim", &o.dim, "Embedding dimension");
  AddOverride(gen, "--seed", &o.seed, "Random seed (default 42)");
  AddOverride(gen, "--common-scale", &o.common_scale, "Norm of the vector all tracks share");
  AddOverride(gen, "--genre-scale", &o.genre_scale, "Norm of a genre's offset");
  AddOverride(gen, "--artist-scale", &o.artist_scale, "Norm of an artist's offset from its genre");
  AddOverride(gen, "--track-scale", &o.track_scale, "Norm of a track's offset from its artist");
  AddOverride(gen, "--artist-zipf", &o.artist_zipf, "Zipf exponent of artist popularity");
  AddDriftFlags(gen, flags.get());
  gen->callback([flags, gen] { RunWorldGen(*flags, *gen); });
}

}  // namespace botify::tools
