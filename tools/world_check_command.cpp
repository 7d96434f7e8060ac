// `botify world check DIR`: describes a world folder and lists every problem in it with
// its file and line (engine/world/world_check.h). Exit 0 for a world botify and the
// original simulator read, 2 for a bad world.
#include <fmt/core.h>
#include <fmt/format.h>

#include "engine/world/user.h"
#include "engine/world/users_file.h"
#include "engine/world/world_check.h"
#include "tools/command.h"

namespace botify::tools {
namespace {

constexpr int kBadWorld = 2;

double Percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::string Describe(const world::Summary& s, int precision) {
  return fmt::format("min {:.{}f}, median {:.{}f}, mean {:.{}f}, p90 {:.{}f}, max {:.{}f}", s.min,
                     precision, s.p50, precision, s.mean, precision, s.p90, precision, s.max,
                     precision);
}

void PrintTracks(const world::WorldReport& r) {
  fmt::print("{}: {} tracks by {} artists\n", r.tracks_path, r.tracks, r.artists);
  if (r.artists == 0) return;
  static constexpr const char* kBuckets[] = {"1", "2-5", "6-20", "21-100", ">100"};
  std::string buckets;
  for (std::size_t b = 0; b < r.artist_size_buckets.size(); ++b) {
    buckets += fmt::format("{}{}: {} ({:.1f}%)", b ? ", " : "", kBuckets[b],
                           r.artist_size_buckets[b], Percent(r.artist_size_buckets[b], r.artists));
  }
  fmt::print("  artists by tracks: {}\n", buckets);
  fmt::print("  tracks per artist: {} (largest: {})\n", Describe(r.tracks_per_artist, 1),
             r.largest_artist);
}

void PrintEmbeddings(const world::WorldReport& r) {
  if (r.embeddings_path.empty()) return;
  fmt::print("{}: {} x {}, dtype '{}', {} order, .npy format {}.0\n", r.embeddings_path, r.rows,
             r.dim, r.layout.dtype, r.layout.fortran_order ? "Fortran" : "C", r.layout.version);
  if (r.norms.count == 0) return;
  fmt::print("  norms: {}; {} zero rows\n", Describe(r.norms, 3), r.zero_rows);
}

void PrintUsers(const world::WorldReport& r) {
  fmt::print("{}: {} users, {} distinct interest tracks\n", r.users_path, r.users,
             r.distinct_interest_tracks);
  if (r.users == 0) return;
  std::string counts;
  for (const auto& [n, users] : r.users_by_interest_count) {
    counts += fmt::format("{}{}: {} ({:.1f}%)", counts.empty() ? "" : ", ", n, users,
                          Percent(users, r.users));
  }
  fmt::print("  interests per user: {}; mean {:.2f}\n", counts, r.interests_per_user.mean);
  const world::User defaults;
  const std::pair<const char*, std::string> optional[] = {
      {"consume_bias", fmt::format("{}", defaults.consume_bias)},
      {"consume_sharpness", fmt::format("{}", defaults.consume_sharpness)},
      {"interest_neighbours", fmt::format("{}", defaults.interest_neighbours)},
      {"session_budget", fmt::format("{}", defaults.session_budget)},
      {"artist_discount_gamma", fmt::format("{}", defaults.artist_discount_gamma)}};
  for (const auto& [field, fallback] : optional) {
    const auto it = r.field_counts.find(field);
    const std::size_t set = it == r.field_counts.end() ? 0 : it->second;
    if (set < r.users) {
      fmt::print("  {}: set by {} users, the other {} get the default {}\n", field, set,
                 r.users - set, fallback);
    }
  }
  for (const auto& [field, users] : r.field_counts) {
    if (!world::IsUserField(field)) {
      fmt::print("  {}: set by {} users, ignored (not part of the simulator's model)\n", field,
                 users);
    }
  }
}

void RunWorldCheck(const world::WorldCheckOptions& o) {
  ExitIfError("world check", o.Validate());
  const world::WorldReport r = world::CheckWorld(o);
  PrintTracks(r);
  PrintEmbeddings(r);
  PrintUsers(r);
  if (r.ok()) {
    fmt::print("world check: {} is a good world\n", o.dir);
    return;
  }
  fmt::print("\n");
  for (const world::WorldProblem& p : r.problems) fmt::print("{}: {}\n", p.where, p.what);
  if (r.problems.size() < r.problem_count) {
    fmt::print("... and {} more (at most {} shown per file)\n", r.problem_count - r.problems.size(),
               o.max_problems_per_file);
  }
  std::fflush(stdout);
  fmt::print(stderr, "world check: {} is a bad world: {} problem{}\n", o.dir, r.problem_count,
             r.problem_count == 1 ? "" : "s");
  throw CommandFailed(kBadWorld);
}

}  // namespace

void AddWorldCheckCommand(CLI::App* world) {
  CLI::App* check = world->add_subcommand(
      "check",
      "Describe a world folder (tracks, artists, embeddings, users, interests) and list every "
      "problem with its file and line; exit 2 on a bad world");
  auto o = std::make_shared<world::WorldCheckOptions>();
  check->add_option("dir", o->dir, "The world folder (tracks.json, users.json, embeddings)")
      ->required();
  check->add_option("--embeddings", o->embeddings,
                    "Embeddings .npy file (default: the folder's tracks.npy or embeddings.npy)");
  check->add_option("--max-problems", o->max_problems_per_file, "Problems shown per file")
      ->capture_default_str();
  check->callback([o] { RunWorldCheck(*o); });
}

}  // namespace botify::tools
