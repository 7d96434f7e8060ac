// The simulated world (docs/contracts.md §8): catalog, track embeddings and users, as stored in a
// directory of three files in the original simulator's formats:
//   tracks.json  JSON lines {"track": i, "artist": "...", "title": "..."}, ids 0..N-1
//   tracks.npy   [N, d] float32 or float64 (base/npy_file.h), row i = track i's embedding;
//                the 2026 course names it embeddings.npy, which is read the same way
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
inline constexpr char kEmbeddingsNpy[] = "embeddings.npy";

// The embeddings file of the world in `dir`: `embeddings` when not empty, else
// dir/tracks.npy or dir/embeddings.npy, whichever exists. Both or neither is an error
// that names them (pass the one meant explicitly).
Result<std::string> FindEmbeddings(const std::string& dir, const std::string& embeddings = "");

// Thread-safe once built: nothing mutates it.
struct World {
  catalog::Catalog catalog;
  FloatMatrix embeddings;  // catalog.size() rows
  std::vector<User> users;

  // Loads the three files from `dir` (the embeddings from FindEmbeddings(dir, embeddings));
  // checks that embeddings have one row per track, all finite, and that interests are
  // catalog tracks. Errors name the file (and line, or row).
  static Result<World> Load(const std::string& dir, const std::string& embeddings = "");
  // Writes the three files into `dir` (created if missing), replacing them.
  Status Write(const std::string& dir) const;
};

}  // namespace botify::world
