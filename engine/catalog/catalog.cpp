#include "engine/catalog/catalog.h"

#include <memory>
#include <unordered_map>

#include "base/json_fields.h"
#include "base/line_reader.h"

namespace botify::catalog {

Result<Catalog> Catalog::FromRecords(std::vector<TrackRecord> records) {
  if (records.empty()) return Status::InvalidArgument("the catalog has no tracks");
  const std::size_t n = records.size();
  Catalog c;
  c.titles_.resize(n);
  c.track_artist_.resize(n);
  std::vector<bool> seen(n, false);
  std::unordered_map<std::string, ArtistId> artist_ids;
  for (auto& r : records) {
    if (r.track >= n) {
      return Status::InvalidArgument("track id " + std::to_string(r.track) + " is outside 0.." +
                                     std::to_string(n - 1) + " (ids must be dense)");
    }
    if (seen[r.track]) {
      return Status::InvalidArgument("track id " + std::to_string(r.track) + " appears twice");
    }
    seen[r.track] = true;
    auto [it, inserted] = artist_ids.try_emplace(r.artist, c.artists_.size());
    if (inserted) c.artists_.push_back(r.artist);
    c.track_artist_[r.track] = it->second;
    c.titles_[r.track] = std::move(r.title);
  }
  // Counting sort of tracks by artist into CSR form.
  c.artist_begin_.assign(c.artists_.size() + 1, 0);
  for (ArtistId a : c.track_artist_) ++c.artist_begin_[a + 1];
  for (std::size_t a = 0; a < c.artists_.size(); ++a) c.artist_begin_[a + 1] += c.artist_begin_[a];
  c.artist_tracks_.resize(n);
  std::vector<std::uint32_t> fill(c.artist_begin_.begin(), c.artist_begin_.end() - 1);
  for (TrackId t = 0; t < n; ++t) c.artist_tracks_[fill[c.track_artist_[t]]++] = t;
  return c;
}

Result<TrackRecord> ParseTrackLine(std::string_view line) {
  auto obj = ParseObject(line);
  if (!obj.ok()) return obj.status();
  auto track = GetUnsigned(*obj, "track", kMaxId);
  if (!track.ok()) return track.status();
  auto artist = GetString(*obj, "artist");
  if (!artist.ok()) return artist.status();
  std::string title;
  if (obj->contains("title")) {
    auto got = GetString(*obj, "title");
    if (!got.ok()) return got.status();
    title = std::move(*got);
  }
  return TrackRecord{static_cast<TrackId>(*track), std::move(*artist), std::move(title)};
}

Result<Catalog> Catalog::LoadJsonLines(const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  LineReader& in = **reader;
  std::vector<TrackRecord> records;
  std::string_view line;
  while (in.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto record = ParseTrackLine(line);
    if (!record.ok()) return record.status().WithContext(in.Where());
    records.push_back(std::move(*record));
  }
  BOTIFY_RETURN_IF_ERROR(in.status());
  auto catalog = FromRecords(std::move(records));
  if (!catalog.ok()) return catalog.status().WithContext(path);
  return catalog;
}

std::span<const TrackId> Catalog::tracks_of(ArtistId artist) const {
  return {artist_tracks_.data() + artist_begin_[artist],
          artist_begin_[artist + 1] - artist_begin_[artist]};
}

std::vector<TrackRecord> Catalog::ToRecords() const {
  std::vector<TrackRecord> out;
  out.reserve(size());
  for (TrackId t = 0; t < size(); ++t) {
    out.push_back({t, artists_[track_artist_[t]], titles_[t]});
  }
  return out;
}

}  // namespace botify::catalog
