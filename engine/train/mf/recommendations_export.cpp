#include "engine/train/mf/recommendations_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "engine/catalog/recommendations_file_writer.h"
#include "engine/train/mf/model_rows.h"

namespace botify::train::mf {
namespace {

// Users ranked, then written, at a time: their lists are held until written (at most
// kUsersPerWrite x top_n ids).
constexpr std::uint32_t kUsersPerWrite = 16384;

// The model's users (indices, ascending) that the export writes: those of its shard.
std::vector<std::uint32_t> ExportedUsers(const TrainedModel& t,
                                         const RecommendationsExportOptions& o) {
  std::vector<std::uint32_t> users;
  users.reserve(o.users_shard.all() ? t.model.n_users() : 0);
  for (std::uint32_t u = 0; u < t.model.n_users(); ++u) {
    if (o.users_shard.Owns(t.user_ids[u])) users.push_back(u);
  }
  return users;
}

// Ranks `users` (ascending), the `done` before them out of `total` already written, and
// adds their lines, in user order, to *writer.
Status RenderUsers(const TrainedModel& t, const dense::Index& index,
                   const RecommendationsExportOptions& o, std::span<const std::uint32_t> users,
                   std::size_t done, std::size_t total, const ExportProgress& progress,
                   catalog::RecommendationsFileWriter* writer) {
  // Each user's list is written by one sink call, so the workers never share a slot.
  const std::uint32_t first = users.empty() ? 0 : users.front();
  std::vector<std::vector<std::uint32_t>> lists(users.empty() ? 0 : users.back() - first + 1);
  BOTIFY_RETURN_IF_ERROR(index.Search(
      UserQueries(t.model, users, o.exclude_known ? &t.train : nullptr), o.top_n, o.threads,
      [&](std::uint32_t u, std::span<const std::uint32_t> ranked) {
        lists[u - first].assign(ranked.begin(), ranked.end());
      },
      [&](std::size_t searched, std::size_t) {
        if (progress) progress(done + searched, total);
      }));
  std::vector<TrackId> tracks;
  for (const std::uint32_t u : users) {
    tracks.clear();
    for (const std::uint32_t item : lists[u - first]) tracks.push_back(t.track_ids[item]);
    BOTIFY_RETURN_IF_ERROR(writer->Add(catalog::ListKey::kUser, t.user_ids[u], tracks));
  }
  return Status::Ok();
}

Status WriteLines(const TrainedModel& t, const RecommendationsExportOptions& o,
                  const ExportProgress& progress, catalog::RecommendationsFileWriter* writer) {
  // The index holds every track whatever the shard: a user's list is the unsharded one.
  auto index = dense::BuildIndex(ItemTargets(t.model), o.index);
  if (!index.ok()) return index.status();
  const std::vector<std::uint32_t> users = ExportedUsers(t, o);
  const std::size_t n = users.size();
  for (std::size_t begin = 0; begin < n; begin += kUsersPerWrite) {
    const std::size_t end = std::min<std::size_t>(n, begin + kUsersPerWrite);
    BOTIFY_RETURN_IF_ERROR(RenderUsers(
        t, **index, o, std::span<const std::uint32_t>(users).subspan(begin, end - begin), begin, n,
        progress, writer));
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
  return index.Validate();
}

Status WriteRecommendations(const TrainedModel& t, const std::string& path,
                            const RecommendationsExportOptions& options,
                            const ExportProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  auto writer = catalog::RecommendationsFileWriter::Open(path);
  if (!writer.ok()) return writer.status();
  BOTIFY_RETURN_IF_ERROR(WriteLines(t, options, progress, &*writer));
  return writer->Commit();
}

}  // namespace botify::train::mf
