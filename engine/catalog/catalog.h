// The track catalog: dense track ids 0..N-1, each with an artist and a title, plus the
// artist -> tracks index that StickyArtist needs. Immutable after construction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::catalog {

struct TrackRecord {
  TrackId track = 0;
  std::string artist;
  std::string title;
};

// Parses one `tracks.json` line: {"track": i, "artist": "...", "title": "..."}. "title"
// may be left out (empty), as the original simulator reads only "track" and "artist";
// other fields are ignored.
Result<TrackRecord> ParseTrackLine(std::string_view line);

// Thread-safe: immutable after construction.
class Catalog {
 public:
  // Builds a catalog from records in any order; ids must be exactly 0..N-1, each once.
  static Result<Catalog> FromRecords(std::vector<TrackRecord> records);
  // Loads `tracks.json` (JSON lines, see ParseTrackLine). Errors name the file and line.
  static Result<Catalog> LoadJsonLines(const std::string& path);

  std::size_t size() const { return titles_.size(); }
  bool Contains(std::uint64_t track) const { return track < titles_.size(); }

  // Precondition for the accessors: Contains(track).
  ArtistId artist_of(TrackId track) const { return track_artist_[track]; }
  std::string_view artist_name(TrackId track) const { return artists_[track_artist_[track]]; }
  std::string_view title(TrackId track) const { return titles_[track]; }

  std::size_t artist_count() const { return artists_.size(); }
  std::string_view artist(ArtistId artist) const { return artists_[artist]; }
  // Tracks by `artist`, ascending ids; never empty for a valid artist.
  std::span<const TrackId> tracks_of(ArtistId artist) const;

  // The catalog as records, ordered by id.
  std::vector<TrackRecord> ToRecords() const;

 private:
  std::vector<std::string> titles_;          // by track id
  std::vector<ArtistId> track_artist_;       // by track id
  std::vector<std::string> artists_;         // by artist id
  std::vector<std::uint32_t> artist_begin_;  // CSR offsets into artist_tracks_, size artists+1
  std::vector<TrackId> artist_tracks_;
};

}  // namespace botify::catalog
