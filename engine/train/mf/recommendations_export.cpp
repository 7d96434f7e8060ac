#include "engine/train/mf/recommendations_export.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/train/ann/clustered_search.h"
#include "engine/train/mf/user_block_ranker.h"

namespace botify::train::mf {
namespace {

constexpr std::uint32_t kBlockUsers = 1024;

// The model's users (indices, ascending) that the export writes: those of its shard.
std::vector<std::uint32_t> ExportedUsers(const TrainedModel& t,
                                         const RecommendationsExportOptions& o) {
  std::vector<std::uint32_t> users;
  for (std::uint32_t u = 0; u < t.model.n_users(); ++u) {
    if (o.users_shard.Owns(t.user_ids[u])) users.push_back(u);
  }
  return users;
}

// Appends the lines of `users` to *out.
void RenderUsers(const TrainedModel& t, const RecommendationsExportOptions& o,
                 std::span<const std::uint32_t> users, std::string* out) {
  std::vector<TrackId> tracks;
  UserBlockRanker ranker(t.model, o.top_n, o.exclude_known ? &t.train : nullptr);
  RankUsersInBlocks(ranker, users,
                    [&](std::span<const std::uint32_t> block, const UserBlockRanker& r) {
                      for (std::size_t b = 0; b < block.size(); ++b) {
                        tracks.clear();
                        for (const std::uint32_t item : r.top(b)) {
                          tracks.push_back(t.track_ids[item]);
                        }
                        catalog::AppendRecommendationsLine(out, catalog::ListKey::kUser,
                                                           t.user_ids[block[b]], tracks);
                      }
                    });
}

// Lines of `users`, split over `threads` workers, in user order.
std::string RenderBlock(const TrainedModel& t, const RecommendationsExportOptions& o,
                        std::span<const std::uint32_t> users) {
  const int threads = o.threads;
  std::vector<std::string> parts(threads);
  const std::size_t chunk = (users.size() + threads - 1) / threads;
  {
    std::vector<std::jthread> pool;
    for (int w = 0; w < threads; ++w) {
      const std::size_t b = std::min(users.size(), w * chunk);
      const std::size_t e = std::min(users.size(), b + chunk);
      pool.emplace_back([&, w, b, e] { RenderUsers(t, o, users.subspan(b, e - b), &parts[w]); });
    }
  }
  std::string all;
  for (const std::string& part : parts) all += part;
  return all;
}

// (*lists)[u] = user u's list by the clustered search.
Status ClusteredLists(const TrainedModel& t, const RecommendationsExportOptions& o,
                      const ExportProgress& progress,
                      std::vector<std::vector<std::uint32_t>>* lists) {
  const MfModel& m = t.model;
  const ann::RowSet items{
      m.n_items(), m.no_components(), [&m](std::uint32_t i) { return m.item(i); },
      [&m](std::uint32_t i) { return m.bias(i); }, [](std::uint32_t) { return true; }};
  const ann::RowClusters clusters = ann::ClusterRows(items, o.clusters, o.seed, o.threads);
  const std::vector<std::uint32_t> users = ExportedUsers(t, o);
  ann::QuerySet queries;
  queries.ids = users;  // a span: `users` outlives the search
  queries.row = [&m](std::uint32_t u) { return m.user(u); };
  queries.excluded = [&](std::uint32_t u) {
    return o.exclude_known ? t.train.Row(u) : std::span<const std::uint32_t>();
  };
  ann::ClusteredSearchOptions search;
  search.depth = o.top_n;
  search.probe = o.probe;
  search.threads = o.threads;
  lists->assign(m.n_users(), {});
  // Each user's list is written by one call, so the workers never share a slot.
  return ann::SearchClustered(
      items, clusters, queries, search,
      [lists](std::uint32_t u, std::span<const std::uint32_t> ranked) {
        (*lists)[u].assign(ranked.begin(), ranked.end());
      },
      progress);
}

Status WriteClusteredLines(const TrainedModel& t, const RecommendationsExportOptions& o,
                           const ExportProgress& progress, std::ofstream* file) {
  std::vector<std::vector<std::uint32_t>> lists;
  BOTIFY_RETURN_IF_ERROR(ClusteredLists(t, o, progress, &lists));
  std::string lines;
  std::vector<TrackId> tracks;
  for (std::uint32_t u = 0; u < lists.size(); ++u) {
    if (!o.users_shard.Owns(t.user_ids[u])) continue;
    tracks.clear();
    for (const std::uint32_t item : lists[u]) tracks.push_back(t.track_ids[item]);
    catalog::AppendRecommendationsLine(&lines, catalog::ListKey::kUser, t.user_ids[u], tracks);
    if (lines.size() > (1 << 20)) {
      file->write(lines.data(), static_cast<std::streamsize>(lines.size()));
      lines.clear();
    }
  }
  file->write(lines.data(), static_cast<std::streamsize>(lines.size()));
  return *file ? Status::Ok() : Status::IoError("writing the recommendations failed");
}

Status WriteExactLines(const TrainedModel& t, const RecommendationsExportOptions& options,
                       const ExportProgress& progress, const std::string& tmp,
                       std::ofstream* file) {
  const std::vector<std::uint32_t> users = ExportedUsers(t, options);
  const std::size_t n = users.size();
  for (std::size_t begin = 0; begin < n; begin += kBlockUsers) {
    const std::size_t end = std::min(n, begin + kBlockUsers);
    const std::string lines =
        RenderBlock(t, options, std::span<const std::uint32_t>(users).subspan(begin, end - begin));
    file->write(lines.data(), static_cast<std::streamsize>(lines.size()));
    if (!*file) return Status::IoError(fmt::format("writing {} failed", tmp));
    if (progress) progress(end, n);
  }
  return Status::Ok();
}

}  // namespace

Status RecommendationsExportOptions::Validate() const {
  if (top_n == 0) return Status::InvalidArgument("top_n must be at least 1");
  if (threads < 1 || threads > 256) {
    return Status::InvalidArgument(fmt::format("threads must be in [1, 256], got {}", threads));
  }
  BOTIFY_RETURN_IF_ERROR(users_shard.Validate());
  if (clusters > 0 && (probe < 1 || probe > clusters)) {
    return Status::InvalidArgument(
        fmt::format("probe must be in [1, clusters = {}], got {}", clusters, probe));
  }
  return Status::Ok();
}

Status WriteRecommendations(const TrainedModel& t, const std::string& path,
                            const RecommendationsExportOptions& options,
                            const ExportProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  const std::string tmp = path + ".tmp";
  std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
  if (!file) return Status::IoError(fmt::format("cannot create {}", tmp));
  BOTIFY_RETURN_IF_ERROR(options.clusters == 0
                             ? WriteExactLines(t, options, progress, tmp, &file)
                             : WriteClusteredLines(t, options, progress, &file).WithContext(tmp));
  file.close();
  if (!file) return Status::IoError(fmt::format("closing {} failed", tmp));
  return CommitFile(tmp, path);
}

}  // namespace botify::train::mf
