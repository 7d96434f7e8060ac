#include "engine/train/mf/recommendations_export.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>
#include <vector>

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/train/ann/clustered_search.h"
#include "engine/train/mf/user_block_ranker.h"

namespace botify::train::mf {
namespace {

constexpr std::uint32_t kBlockUsers = 1024;

// Appends the lines of users [begin, end) to *out.
void RenderUsers(const TrainedModel& t, const RecommendationsExportOptions& o, std::uint32_t begin,
                 std::uint32_t end, std::string* out) {
  std::vector<std::uint32_t> users(end - begin);
  std::iota(users.begin(), users.end(), begin);
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

// Lines of users [begin, end), split over `threads` workers, in user order.
std::string RenderBlock(const TrainedModel& t, const RecommendationsExportOptions& o,
                        std::uint32_t begin, std::uint32_t end) {
  const int threads = o.threads;
  std::vector<std::string> parts(threads);
  const std::uint32_t chunk = (end - begin + threads - 1) / threads;
  {
    std::vector<std::jthread> pool;
    for (int w = 0; w < threads; ++w) {
      const std::uint32_t b = std::min(end, begin + w * chunk);
      const std::uint32_t e = std::min(end, b + chunk);
      pool.emplace_back([&, w, b, e] { RenderUsers(t, o, b, e, &parts[w]); });
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
  std::vector<std::uint32_t> users(m.n_users());
  std::iota(users.begin(), users.end(), 0);
  ann::QuerySet queries;
  queries.ids = users;
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
    tracks.clear();
    for (const std::uint32_t item : lists[u]) tracks.push_back(t.track_ids[item]);
    catalog::AppendRecommendationsLine(&lines, catalog::ListKey::kUser, t.user_ids[u], tracks);
    if (lines.size() > (1 << 20) || u + 1 == lists.size()) {
      file->write(lines.data(), static_cast<std::streamsize>(lines.size()));
      lines.clear();
    }
  }
  return *file ? Status::Ok() : Status::IoError("writing the recommendations failed");
}

Status WriteExactLines(const TrainedModel& t, const RecommendationsExportOptions& options,
                       const ExportProgress& progress, const std::string& tmp,
                       std::ofstream* file) {
  const std::uint32_t n = t.model.n_users();
  for (std::uint32_t begin = 0; begin < n; begin += kBlockUsers) {
    const std::uint32_t end = std::min(n, begin + kBlockUsers);
    const std::string lines = RenderBlock(t, options, begin, end);
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
