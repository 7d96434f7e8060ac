#include "engine/world/world.h"

#include <fmt/core.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

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

Result<World> World::Load(const std::string& dir) {
  const std::filesystem::path root(dir);
  auto catalog = catalog::Catalog::LoadJsonLines((root / kTracksJson).string());
  if (!catalog.ok()) return catalog.status();
  auto embeddings = ReadNpy((root / kTracksNpy).string());
  if (!embeddings.ok()) return embeddings.status();
  if (embeddings->rows != catalog->size()) {
    return Status::InvalidArgument(fmt::format(
        "{}: has {} rows but {} has {} tracks; they must match", (root / kTracksNpy).string(),
        embeddings->rows, (root / kTracksJson).string(), catalog->size()));
  }
  if (embeddings->cols == 0) {
    return Status::InvalidArgument((root / kTracksNpy).string() + ": embeddings have 0 columns");
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
