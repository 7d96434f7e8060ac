// `botify world check`: reads a world folder (docs/contracts.md §8) as the simulator would,
// but does not stop at the first problem. Every problem is listed with its file and line
// (or row), and the report describes the world: tracks, artists and their sizes, the
// embeddings' layout, dimension and norms, users, interests per user, and which user
// fields are set, defaulted or ignored.
//
// A world with no problems is one `World::Load` accepts (and so `botify sim`); the
// original simulator reads it too.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "base/npy_file.h"
#include "base/status.h"

namespace botify::world {

struct WorldCheckOptions {
  std::string dir;  // the world folder
  // The embeddings file; empty: the folder's tracks.npy or embeddings.npy (FindEmbeddings).
  std::string embeddings;
  // Problems kept per file (the rest are only counted), so that a file broken on every
  // line gives a readable report and bounded memory.
  std::size_t max_problems_per_file = 50;

  Status Validate() const;
};

// min / mean / percentiles / max of a sample; all 0 for an empty sample.
struct Summary {
  std::size_t count = 0;
  double min = 0, mean = 0, p50 = 0, p90 = 0, max = 0;

  static Summary Of(std::vector<double> values);
};

struct WorldProblem {
  std::string where;  // "path:line", "path: row i" or "path"
  std::string what;
};

// Plain value type.
struct WorldReport {
  // --- tracks.json ---
  std::string tracks_path;
  std::size_t tracks = 0;   // valid lines
  std::size_t artists = 0;  // distinct artist strings
  Summary tracks_per_artist;
  // Artists by size bucket: 1, 2-5, 6-20, 21-100, over 100 tracks.
  std::vector<std::size_t> artist_size_buckets;
  std::string largest_artist;

  // --- embeddings ---
  std::string embeddings_path;  // empty when none was found
  NpyLayout layout;
  std::size_t rows = 0, dim = 0;
  Summary norms;              // over the finite rows
  std::size_t zero_rows = 0;  // rows of norm 0 (legal, but such a track matches nothing)

  // --- users.json ---
  std::string users_path;
  std::size_t users = 0;
  Summary interests_per_user;
  std::map<std::size_t, std::size_t> users_by_interest_count;
  std::size_t distinct_interest_tracks = 0;
  // How many users set each field; the simulator's own fields (IsUserField) and the
  // ignored ones.
  std::map<std::string, std::size_t> field_counts;

  // --- problems ---
  std::vector<WorldProblem> problems;  // at most max_problems_per_file per file
  std::size_t problem_count = 0;       // all of them, kept or not

  bool ok() const { return problem_count == 0; }
};

// Checks the world. Never fails itself: an unreadable file is a problem in the report.
WorldReport CheckWorld(const WorldCheckOptions& options);

}  // namespace botify::world
