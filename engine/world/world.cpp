#include "engine/world/world.h"

#include <fmt/core.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <filesystem>

#include "base/file.h"
#include "engine/world/users_file.h"

namespace botify::world {
namespace {

Status WriteCatalog(const std::string& path, const catalog::Catalog& catalog) {
  std::string text;
  for (const catalog::TrackRecord& r : catalog.ToRecords()) {
    // Boost.JSON escapes names; field order is track, artist, title as in the original.
    text += fmt::format("{{\"track\": {}, \"artist\": {}, \"title\": {}}}\n", r.track,
                        boost::json::serialize(boost::json::value(r.artist)),
                        boost::json::serialize(boost::json::value(r.title)));
  }
  return WriteWholeFile(path, text);
}

}  // namespace

Result<std::string> FindEmbeddings(const std::string& dir, const std::string& embeddings) {
  if (!embeddings.empty()) return embeddings;
  const std::filesystem::path root(dir);
  const std::string tracks = (root / kTracksNpy).string();
  const std::string named = (root / kEmbeddingsNpy).string();
  std::error_code ec;
  const bool has_tracks = std::filesystem::exists(tracks, ec);
  const bool has_named = std::filesystem::exists(named, ec);
  if (has_tracks && has_named) {
    return Status::InvalidArgument(
        fmt::format("{}: holds both {} and {}; name the embeddings to use (--embeddings FILE)", dir,
                    kTracksNpy, kEmbeddingsNpy));
  }
  if (!has_tracks && !has_named) {
    return Status::NotFound(
        fmt::format("{}: has no embeddings ({} or {})", dir, kTracksNpy, kEmbeddingsNpy));
  }
  return has_tracks ? tracks : named;
}

Result<World> World::Load(const std::string& dir, const std::string& embeddings_file) {
  const std::filesystem::path root(dir);
  auto catalog = catalog::Catalog::LoadJsonLines((root / kTracksJson).string());
  if (!catalog.ok()) return catalog.status();
  auto npy = FindEmbeddings(dir, embeddings_file);
  if (!npy.ok()) return npy.status();
  auto embeddings = ReadNpy(*npy);
  if (!embeddings.ok()) return embeddings.status();
  if (embeddings->rows != catalog->size()) {
    return Status::InvalidArgument(
        fmt::format("{}: has {} rows but {} has {} tracks; they must match", *npy, embeddings->rows,
                    (root / kTracksJson).string(), catalog->size()));
  }
  if (embeddings->cols == 0) {
    return Status::InvalidArgument(*npy + ": embeddings have 0 columns");
  }
  for (std::size_t t = 0; t < embeddings->rows; ++t) {
    for (float x : embeddings->row(t)) {
      if (!std::isfinite(x)) {
        return Status::InvalidArgument(fmt::format(
            "{}: row {} (track {}'s embedding) has a non-finite value {}", *npy, t, t, x));
      }
    }
  }
  auto users = LoadUsers((root / kUsersJson).string(), catalog->size());
  if (!users.ok()) return users.status();
  return World{std::move(*catalog), std::move(*embeddings), std::move(*users)};
}

Status World::Write(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot create directory: {}", dir, ec.message()));
  const std::filesystem::path root(dir);
  BOTIFY_RETURN_IF_ERROR(WriteCatalog((root / kTracksJson).string(), catalog));
  BOTIFY_RETURN_IF_ERROR(WriteNpy((root / kTracksNpy).string(), embeddings));
  return WriteUsers((root / kUsersJson).string(), users);
}

}  // namespace botify::world
