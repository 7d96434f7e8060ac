#include "engine/world/world_generator.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "base/random.h"

namespace botify::world {
namespace {

// Independent random streams, so that changing one part (say, the user count) leaves
// the others' draws unchanged.
enum Stream : std::uint64_t { kGeometry = 1, kArtistOfTrack = 2, kUsers = 3, kNames = 4 };

void AddNoise(Rng& rng, double scale, std::span<float> v) {
  const double per_dim = scale / std::sqrt(static_cast<double>(v.size()));
  for (float& x : v) x += static_cast<float>(per_dim * rng.Normal());
}

// Draws an index in [0, cumulative.size()) with probability proportional to the weights
// whose running sums `cumulative` holds.
std::size_t DrawCumulative(Rng& rng, const std::vector<double>& cumulative) {
  const double x = rng.UniformDouble() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min<std::size_t>(it - cumulative.begin(), cumulative.size() - 1);
}

// Artist of every track: artist i < artists gets track slot i, the rest are Zipf draws;
// then shuffled so that ids say nothing about artists.
std::vector<ArtistId> AssignArtists(const WorldOptions& o) {
  Rng rng = Rng::ForStream(o.seed, kArtistOfTrack);
  std::vector<double> cumulative(o.artists);
  double sum = 0;
  for (std::uint32_t a = 0; a < o.artists; ++a) {
    sum += 1.0 / std::pow(static_cast<double>(a) + 1.0, o.artist_zipf);
    cumulative[a] = sum;
  }
  std::vector<ArtistId> artist_of(o.tracks);
  for (std::uint32_t t = 0; t < o.tracks; ++t) {
    artist_of[t] = t < o.artists ? t : static_cast<ArtistId>(DrawCumulative(rng, cumulative));
  }
  for (std::size_t i = artist_of.size() - 1; i > 0; --i) {
    std::swap(artist_of[i], artist_of[rng.Uniform(i + 1)]);
  }
  return artist_of;
}

// Centres of artists (rows of the returned matrix), built from genres and the common vector.
FloatMatrix ArtistCentres(const WorldOptions& o, Rng& rng) {
  FloatMatrix common{1, o.dim, std::vector<float>(o.dim, 0.0f)};
  AddNoise(rng, o.common_scale, common.row(0));
  FloatMatrix genres{o.genres, o.dim, {}};
  for (std::uint32_t g = 0; g < o.genres; ++g) {
    genres.data.insert(genres.data.end(), common.data.begin(), common.data.end());
    AddNoise(rng, o.genre_scale, genres.row(g));
  }
  FloatMatrix artists{o.artists, o.dim, {}};
  for (std::uint32_t a = 0; a < o.artists; ++a) {
    const auto genre = genres.row(rng.Uniform(o.genres));
    artists.data.insert(artists.data.end(), genre.begin(), genre.end());
    AddNoise(rng, o.artist_scale, artists.row(a));
  }
  return artists;
}

constexpr const char* kSyllables[] = {"ka",  "lo",  "mi",  "ra", "ve", "su",  "to",
                                      "na",  "el",  "dra", "zo", "pe", "qui", "bel",
                                      "mor", "tan", "fi",  "go", "ru", "sha"};
constexpr const char* kWords[] = {"Night", "River", "Echo",  "Glass",  "Summer", "Ghost", "Velvet",
                                  "Neon",  "Stone", "Paper", "Golden", "Silent", "Wild",  "Blue",
                                  "Fire",  "Dream", "Heart", "Road",   "Moon",   "Rain"};

std::string Word(Rng& rng, int syllables) {
  std::string w;
  for (int i = 0; i < syllables; ++i) w += kSyllables[rng.Uniform(std::size(kSyllables))];
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

// Unique artist names ("Kalomi Ravesu"; a numeric suffix resolves rare collisions).
std::vector<std::string> ArtistNames(const WorldOptions& o, Rng& rng) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (std::uint32_t a = 0; a < o.artists; ++a) {
    std::string name = Word(rng, 2) + " " + Word(rng, 1 + static_cast<int>(rng.Uniform(2)));
    if (!seen.insert(name).second) {
      name += fmt::format(" {}", a);
      seen.insert(name);
    }
    names.push_back(std::move(name));
  }
  return names;
}

std::string Title(Rng& rng) {
  return fmt::format("{} {}", kWords[rng.Uniform(std::size(kWords))], Word(rng, 2));
}

// Track embeddings: artist centres from the geometry stream, then each track's noise in id
// order from the same stream. `artist_of` has one entry per track, each < o.artists.
FloatMatrix TrackEmbeddings(const WorldOptions& o, const std::vector<ArtistId>& artist_of) {
  Rng geometry = Rng::ForStream(o.seed, kGeometry);
  const FloatMatrix artists = ArtistCentres(o, geometry);
  FloatMatrix embeddings{artist_of.size(), o.dim, {}};
  embeddings.data.reserve(artist_of.size() * o.dim);
  for (std::size_t t = 0; t < artist_of.size(); ++t) {
    const auto centre = artists.row(artist_of[t]);
    embeddings.data.insert(embeddings.data.end(), centre.begin(), centre.end());
    AddNoise(geometry, o.track_scale, embeddings.row(t));
  }
  return embeddings;
}

std::vector<User> GenerateUsers(const WorldOptions& o) {
  Rng rng = Rng::ForStream(o.seed, kUsers);
  std::vector<User> users(o.users);
  for (std::uint32_t u = 0; u < o.users; ++u) {
    users[u].user = u;
    users[u].interests.resize(3);
    for (TrackId& t : users[u].interests) t = static_cast<TrackId>(rng.Uniform(o.tracks));
    users[u].consume_bias = 10.0 * rng.UniformDouble();
    users[u].consume_sharpness = 0.5 + 1.5 * rng.UniformDouble();
  }
  return users;
}

}  // namespace

WorldOptions WorldOptions::Small() {
  WorldOptions o;
  o.tracks = 2000;
  o.artists = 200;
  o.genres = 10;
  o.users = 500;
  return o;
}

Result<WorldOptions> WorldOptions::Preset(const std::string& name) {
  if (name == "default") return WorldOptions{};
  if (name == "small") return Small();
  return Status::InvalidArgument("unknown world preset '" + name + "' (expected default or small)");
}

Status WorldOptions::Validate() const {
  if (tracks == 0 || users == 0 || dim == 0 || genres == 0) {
    return Status::InvalidArgument("tracks, users, genres and dim must be at least 1");
  }
  if (artists == 0 || artists > tracks) {
    return Status::InvalidArgument(
        fmt::format("artists must be in [1, tracks={}], got {}", tracks, artists));
  }
  if (genres > artists) {
    return Status::InvalidArgument(
        fmt::format("genres must be in [1, artists={}], got {}", artists, genres));
  }
  for (double s : {common_scale, genre_scale, artist_scale, track_scale, artist_zipf}) {
    if (!std::isfinite(s) || s < 0) {
      return Status::InvalidArgument(
          fmt::format("scales and artist_zipf must be finite and >= 0, got {}", s));
    }
  }
  return Status::Ok();
}

Result<World> GenerateWorld(const WorldOptions& o) {
  BOTIFY_RETURN_IF_ERROR(o.Validate());
  const std::vector<ArtistId> artist_of = AssignArtists(o);
  Rng names_rng = Rng::ForStream(o.seed, kNames);
  const std::vector<std::string> names = ArtistNames(o, names_rng);
  std::vector<catalog::TrackRecord> records(o.tracks);
  for (std::uint32_t t = 0; t < o.tracks; ++t) {
    records[t] = {t, names[artist_of[t]], Title(names_rng)};
  }
  auto catalog = catalog::Catalog::FromRecords(std::move(records));
  if (!catalog.ok()) return catalog.status();
  World world;
  world.embeddings = TrackEmbeddings(o, artist_of);
  world.catalog = std::move(*catalog);
  world.users = GenerateUsers(o);
  return world;
}

Result<World> GenerateWorldOverCatalog(const WorldOptions& options, catalog::Catalog catalog,
                                       std::vector<User> users) {
  WorldOptions o = options;
  o.tracks = static_cast<std::uint32_t>(catalog.size());
  o.artists = static_cast<std::uint32_t>(catalog.artist_count());
  if (o.genres > o.artists) {
    return Status::InvalidArgument(
        fmt::format("genres ({}) must not exceed the catalog's artists ({})", o.genres, o.artists));
  }
  BOTIFY_RETURN_IF_ERROR(o.Validate());
  std::vector<ArtistId> artist_of(catalog.size());
  for (TrackId t = 0; t < catalog.size(); ++t) artist_of[t] = catalog.artist_of(t);
  World world;
  world.embeddings = TrackEmbeddings(o, artist_of);
  world.catalog = std::move(catalog);
  world.users = users.empty() ? GenerateUsers(o) : std::move(users);
  return world;
}

}  // namespace botify::world
