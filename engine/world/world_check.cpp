#include "engine/world/world_check.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "base/ids.h"
#include "base/line_reader.h"
#include "engine/catalog/catalog.h"
#include "engine/world/users_file.h"
#include "engine/world/world.h"

namespace botify::world {
namespace {

// Collects the problems of one file into the report, keeping the first `limit`.
class ProblemSink {
 public:
  ProblemSink(WorldReport* report, std::size_t limit) : report_(report), limit_(limit) {}
  void Add(std::string where, std::string what) {
    ++report_->problem_count;
    if (kept_++ < limit_) report_->problems.push_back({std::move(where), std::move(what)});
  }

 private:
  WorldReport* report_;
  std::size_t limit_;
  std::size_t kept_ = 0;
};

// Where a track id was first seen, to name both lines of a duplicate.
using FirstLine = std::unordered_map<std::uint64_t, std::size_t>;

// The bucket of an artist with `n` tracks: 1, 2-5, 6-20, 21-100, over 100.
std::size_t SizeBucket(std::size_t n) {
  if (n <= 1) return 0;
  if (n <= 5) return 1;
  if (n <= 20) return 2;
  if (n <= 100) return 3;
  return 4;
}

// Ids must be exactly 0..n-1 for the n valid lines `ids` (id, line); duplicates were
// reported already.
void CheckDenseIds(const std::string& path,
                   const std::vector<std::pair<std::uint64_t, std::size_t>>& ids,
                   const FirstLine& first_line, ProblemSink* sink) {
  const std::size_t n = ids.size();
  std::size_t missing = n;
  for (const auto& [id, line_number] : ids) {
    if (id >= n) {
      sink->Add(fmt::format("{}:{}", path, line_number),
                fmt::format("track id {} is outside 0..{} (ids must be exactly 0..N-1 for N = {} "
                            "tracks)",
                            id, n - 1, n));
    } else {
      --missing;
    }
  }
  if (missing > 0) {
    std::vector<std::uint64_t> absent;
    for (std::uint64_t id = 0; id < n && absent.size() < 5; ++id) {
      if (!first_line.contains(id)) absent.push_back(id);
    }
    sink->Add(path, fmt::format("{} ids of 0..{} are missing (first: {})", missing, n - 1,
                                fmt::join(absent, ", ")));
  }
}

void SummarizeArtists(const std::unordered_map<std::string, std::size_t>& artist_tracks,
                      WorldReport* r) {
  r->artists = artist_tracks.size();
  r->artist_size_buckets.assign(5, 0);
  std::vector<double> sizes;
  std::size_t largest = 0;
  for (const auto& [artist, count] : artist_tracks) {
    sizes.push_back(static_cast<double>(count));
    ++r->artist_size_buckets[SizeBucket(count)];
    if (count > largest || (count == largest && artist < r->largest_artist)) {
      largest = count;
      r->largest_artist = artist;
    }
  }
  r->tracks_per_artist = Summary::Of(std::move(sizes));
}

// Reads tracks.json line by line. Returns the track count the other files are checked
// against (0 when the file could not be read at all).
std::size_t CheckTracks(const std::string& path, WorldReport* r, ProblemSink* sink) {
  r->tracks_path = path;
  auto reader = LineReader::Open(path);
  if (!reader.ok()) {
    sink->Add(path, reader.status().message());
    return 0;
  }
  LineReader& in = **reader;
  FirstLine first_line;
  std::vector<std::pair<std::uint64_t, std::size_t>> ids;  // (id, line)
  std::unordered_map<std::string, std::size_t> artist_tracks;
  std::string_view line;
  while (in.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto record = catalog::ParseTrackLine(line);
    if (!record.ok()) {
      sink->Add(in.Where(), record.status().message());
      continue;
    }
    auto [it, inserted] = first_line.try_emplace(record->track, in.line_number());
    if (!inserted) {
      sink->Add(in.Where(), fmt::format("track {} appears twice (first on line {})", record->track,
                                        it->second));
      continue;
    }
    ids.emplace_back(record->track, in.line_number());
    ++artist_tracks[record->artist];
  }
  if (!in.status().ok()) sink->Add(path, in.status().message());
  const std::size_t n = ids.size();
  if (n == 0) {
    sink->Add(path, "has no tracks");
    return 0;
  }
  CheckDenseIds(path, ids, first_line, sink);
  r->tracks = n;
  SummarizeArtists(artist_tracks, r);
  return n;
}

void CheckEmbeddings(const WorldCheckOptions& o, std::size_t tracks, WorldReport* r,
                     ProblemSink* sink) {
  auto path = FindEmbeddings(o.dir, o.embeddings);
  if (!path.ok()) {
    sink->Add(o.dir, path.status().message());
    return;
  }
  r->embeddings_path = *path;
  auto m = ReadNpy(*path, &r->layout);
  if (!m.ok()) {
    sink->Add(*path, m.status().message());
    return;
  }
  r->rows = m->rows;
  r->dim = m->cols;
  if (m->cols == 0) sink->Add(*path, "embeddings have 0 columns");
  if (tracks != 0 && m->rows != tracks) {
    sink->Add(*path, fmt::format("has {} rows but tracks.json has {} tracks; they must match",
                                 m->rows, tracks));
  }
  std::vector<double> norms;
  norms.reserve(m->rows);
  for (std::size_t t = 0; t < m->rows; ++t) {
    double sum = 0;
    bool finite = true;
    for (float x : m->row(t)) {
      finite = finite && std::isfinite(x);
      sum += static_cast<double>(x) * x;
    }
    if (!finite) {
      sink->Add(fmt::format("{}: row {}", *path, t), "has a non-finite value (NaN or infinity)");
      continue;
    }
    if (sum == 0) ++r->zero_rows;
    norms.push_back(std::sqrt(sum));
  }
  r->norms = Summary::Of(std::move(norms));
}

void CheckUsers(const std::string& path, std::size_t tracks, WorldReport* r, ProblemSink* sink) {
  r->users_path = path;
  auto reader = LineReader::Open(path);
  if (!reader.ok()) {
    sink->Add(path, reader.status().message());
    return;
  }
  LineReader& in = **reader;
  // Without a readable catalog interests are checked as ids only.
  const std::size_t bound = tracks != 0 ? tracks : std::size_t{kMaxId} + 1;
  std::unordered_map<UserId, std::size_t> first_line;
  std::unordered_set<TrackId> interest_tracks;
  std::vector<double> interests;
  std::vector<std::string> fields;
  std::string_view line;
  while (in.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto user = ParseUserLine(line, bound, &fields);
    if (!user.ok()) {
      sink->Add(in.Where(), user.status().message());
      continue;
    }
    auto [it, inserted] = first_line.try_emplace(user->user, in.line_number());
    if (!inserted) {
      sink->Add(in.Where(),
                fmt::format("user {} appears twice (first on line {})", user->user, it->second));
      continue;
    }
    for (const std::string& f : fields) ++r->field_counts[f];
    interests.push_back(static_cast<double>(user->interests.size()));
    ++r->users_by_interest_count[user->interests.size()];
    interest_tracks.insert(user->interests.begin(), user->interests.end());
  }
  if (!in.status().ok()) sink->Add(path, in.status().message());
  r->users = interests.size();
  if (r->users == 0) sink->Add(path, "has no users");
  r->interests_per_user = Summary::Of(std::move(interests));
  r->distinct_interest_tracks = interest_tracks.size();
}

}  // namespace

Status WorldCheckOptions::Validate() const {
  if (dir.empty()) return Status::InvalidArgument("the world folder is required");
  if (max_problems_per_file == 0) {
    return Status::InvalidArgument("max_problems_per_file must be at least 1");
  }
  return Status::Ok();
}

Summary Summary::Of(std::vector<double> values) {
  Summary s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto at = [&values](double q) {
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
  };
  s.min = values.front();
  s.max = values.back();
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  s.p50 = at(0.5);
  s.p90 = at(0.9);
  return s;
}

WorldReport CheckWorld(const WorldCheckOptions& o) {
  WorldReport r;
  const std::filesystem::path root(o.dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    r.problem_count = 1;
    r.problems.push_back({o.dir, "is not a folder"});
    return r;
  }
  ProblemSink tracks_sink(&r, o.max_problems_per_file);
  const std::size_t tracks = CheckTracks((root / kTracksJson).string(), &r, &tracks_sink);
  ProblemSink embeddings_sink(&r, o.max_problems_per_file);
  CheckEmbeddings(o, tracks, &r, &embeddings_sink);
  ProblemSink users_sink(&r, o.max_problems_per_file);
  CheckUsers((root / kUsersJson).string(), tracks, &r, &users_sink);
  return r;
}

}  // namespace botify::world
