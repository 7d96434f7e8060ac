// The simulated world (docs/contracts.md §8): catalog, track embeddings and users, as stored in a
// directory of three files in the original simulator's formats:
//   tracks.json  JSON lines {"track": i, "artist": "...", "title": "..."}, ids 0..N-1
//   tracks.npy   float32 [N, d], row i = track i's embedding
//   users.json   JSON lines, see engine/world/users_file.h
#pragma once

#include <string>
#include <vector>

#include "base/npy_file.h"
#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "engine/world/user.h"

namespace botify::world {

inline constexpr char kTracksJson[] = "tracks.json";
inline constexpr char kTracksNpy[] = "tracks.npy";
inline constexpr char kUsersJson[] = "users.json";

// Thread-safe once built: nothing mutates it.
struct World {
  catalog::Catalog catalog;
  FloatMatrix embeddings;  // catalog.size() rows
  std::vector<User> users;

  // Loads the three files from `dir`; checks that embeddings have one row per track and
  // that interests are catalog tracks. Errors name the file (and line).
  static Result<World> Load(const std::string& dir);
  // Writes the three files into `dir` (created if missing), replacing them.
  Status Write(const std::string& dir) const;
};

}  // namespace botify::world
