#include "engine/train/mf/recommendations_export.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>
#include <vector>

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"
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

}  // namespace

Status RecommendationsExportOptions::Validate() const {
  if (top_n == 0) return Status::InvalidArgument("top_n must be at least 1");
  if (threads < 1 || threads > 256) {
    return Status::InvalidArgument(fmt::format("threads must be in [1, 256], got {}", threads));
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
  const std::uint32_t n = t.model.n_users();
  for (std::uint32_t begin = 0; begin < n; begin += kBlockUsers) {
    const std::uint32_t end = std::min(n, begin + kBlockUsers);
    const std::string lines = RenderBlock(t, options, begin, end);
    file.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    if (!file) return Status::IoError(fmt::format("writing {} failed", tmp));
    if (progress) progress(end, n);
  }
  file.close();
  if (!file) return Status::IoError(fmt::format("closing {} failed", tmp));
  return CommitFile(tmp, path);
}

}  // namespace botify::train::mf
