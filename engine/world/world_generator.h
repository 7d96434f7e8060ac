// The embedded default world (docs/contracts.md §9): a deterministic synthetic stand-in for the
// original Million Song Dataset catalog, its learned embeddings and its users.
//
// Model. Every vector below is `scale * z / sqrt(dim)` with z standard normal, so its
// expected norm is about `scale`:
//   common   one vector shared by every track (taste everybody shares: makes a random
//            track worth a little to everybody),
//   genre    centre = common + genre_scale noise,
//   artist   centre = its genre's centre + artist_scale noise; genre uniform,
//   track    embedding = its artist's centre + track_scale noise; the artist is drawn
//            with Zipf(artist_zipf) popularity, every artist has at least one track.
// Users: three interest tracks uniform over the catalog, consume_bias uniform in
// [0, 10), consume_sharpness uniform in [0.5, 2) (the original's distributions).
// The default scales are calibrated with the in-process simulator (docs/world.md).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "engine/world/world.h"

namespace botify::world {

struct WorldOptions {
  // --- Size ---
  std::uint32_t tracks = 50000;  // catalog size (ids 0..tracks-1)
  std::uint32_t artists = 5000;  // <= tracks; every artist gets at least one track
  std::uint32_t genres = 25;     // <= artists
  std::uint32_t users = 10000;   // user ids 0..users-1
  std::uint32_t dim = 32;        // embedding dimension

  // --- Randomness ---
  std::uint64_t seed = 42;  // same options and seed => byte-identical files

  // --- Geometry (expected norms; see the model above) ---
  double common_scale = 0.75;
  double genre_scale = 2.5;
  double artist_scale = 2.0;
  double track_scale = 1.5;
  // Zipf exponent of artist popularity (share of tracks); 0 = uniform.
  double artist_zipf = 1.0;

  // The test-sized world: 2,000 tracks, 200 artists, 10 genres, 500 users.
  static WorldOptions Small();
  // "default" or "small"; anything else is an invalid argument.
  static Result<WorldOptions> Preset(const std::string& name);

  Status Validate() const;
};

// Generates the world. Pure function of `options` (deterministic, single-threaded).
Result<World> GenerateWorld(const WorldOptions& options);

// A world over a real catalog (docs/world.md, "A world over your own catalog"). Keeps the
// catalog as it is (ids, artists, titles) and `users` when not empty; invents the rest
// with the model above: each of the catalog's artists gets a genre (uniform over
// `genres`) and a centre, each track its artist's centre plus noise, and without `users`
// the users are drawn as for the default world. The catalog's artist ids (first
// appearance in `catalog`) order the draws, so the same catalog and options give the same
// embeddings. options.tracks, .artists and .artist_zipf are ignored (the catalog sets them).
// Precondition: every interest in `users` is a catalog track (LoadUsers checks it).
Result<World> GenerateWorldOverCatalog(const WorldOptions& options, catalog::Catalog catalog,
                                       std::vector<User> users);

}  // namespace botify::world
