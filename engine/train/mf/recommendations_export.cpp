#include "engine/train/mf/recommendations_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <vector>

#include "base/file.h"
#include "engine/catalog/recommendations_file.h"
#include "engine/train/mf/model_rows.h"

namespace botify::train::mf {
namespace {

// Users ranked, then written, at a time: their lists are held until written (at most
// kUsersPerWrite x top_n ids).
constexpr std::uint32_t kUsersPerWrite = 16384;

// Ranks users [begin, end) and appends their lines, in user order, to *out.
Status RenderUsers(const TrainedModel& t, const dense::Index& index,
                   const RecommendationsExportOptions& o, std::uint32_t begin, std::uint32_t end,
                   const ExportProgress& progress, std::string* out) {
  std::vector<std::uint32_t> users(end - begin);
  std::iota(users.begin(), users.end(), begin);
  // Each user's list is written by one sink call, so the workers never share a slot.
  std::vector<std::vector<std::uint32_t>> lists(users.size());
  BOTIFY_RETURN_IF_ERROR(index.Search(
      UserQueries(t.model, users, o.exclude_known ? &t.train : nullptr), o.top_n, o.threads,
      [&](std::uint32_t u, std::span<const std::uint32_t> ranked) {
        lists[u - begin].assign(ranked.begin(), ranked.end());
      },
      [&](std::size_t done, std::size_t) {
        if (progress) progress(begin + done, t.model.n_users());
      }));
  std::vector<TrackId> tracks;
  for (std::uint32_t u = begin; u < end; ++u) {
    tracks.clear();
    for (const std::uint32_t item : lists[u - begin]) tracks.push_back(t.track_ids[item]);
    catalog::AppendRecommendationsLine(out, catalog::ListKey::kUser, t.user_ids[u], tracks);
  }
  return Status::Ok();
}

Status WriteLines(const TrainedModel& t, const RecommendationsExportOptions& o,
                  const ExportProgress& progress, const std::string& tmp, std::ofstream* file) {
  auto index = dense::BuildIndex(ItemTargets(t.model), o.index);
  if (!index.ok()) return index.status();
  const std::uint32_t n = t.model.n_users();
  std::string lines;
  for (std::uint32_t begin = 0; begin < n; begin += kUsersPerWrite) {
    const std::uint32_t end = std::min(n, begin + kUsersPerWrite);
    lines.clear();
    BOTIFY_RETURN_IF_ERROR(RenderUsers(t, **index, o, begin, end, progress, &lines));
    file->write(lines.data(), static_cast<std::streamsize>(lines.size()));
    if (!*file) return Status::IoError(fmt::format("writing {} failed", tmp));
  }
  return Status::Ok();
}

}  // namespace

Status RecommendationsExportOptions::Validate() const {
  if (top_n == 0) return Status::InvalidArgument("top_n must be at least 1");
  if (threads < 1 || threads > 256) {
    return Status::InvalidArgument(fmt::format("threads must be in [1, 256], got {}", threads));
  }
  return index.Validate();
}

Status WriteRecommendations(const TrainedModel& t, const std::string& path,
                            const RecommendationsExportOptions& options,
                            const ExportProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  const std::string tmp = path + ".tmp";
  std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
  if (!file) return Status::IoError(fmt::format("cannot create {}", tmp));
  BOTIFY_RETURN_IF_ERROR(WriteLines(t, options, progress, tmp, &file));
  file.close();
  if (!file) return Status::IoError(fmt::format("closing {} failed", tmp));
  return CommitFile(tmp, path);
}

}  // namespace botify::train::mf
