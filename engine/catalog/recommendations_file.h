// The recommendations file (docs/contracts.md §6, exactly): JSON lines, one list per key.
//   per user (Indexed):      {"user": 0, "tracks": [64, 10222, 2021]}
//   per track (Contextual):  {"track": 5, "recommendations": [7, 9]}
// Trainers write it; `index build` reads it with an explicit validation policy.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::catalog {

enum class ListKey { kUser, kTrack };

// "user" or "track".
std::string_view ListKeyName(ListKey key);

// Appends {"user": u, "tracks": [...]}\n (or the per-track form) to *out.
void AppendRecommendationsLine(std::string* out, ListKey key, std::uint32_t id,
                               std::span<const TrackId> tracks);

struct RecommendationsLine {
  ListKey key = ListKey::kUser;
  std::uint32_t id = 0;
  std::vector<TrackId> tracks;
};

// Parses one line of either form. Errors name the field (the caller adds file:line).
// Does not check tracks against a catalog, emptiness or duplicates: that is the
// loader's policy.
Result<RecommendationsLine> ParseRecommendationsLine(std::string_view line);

// The key of a line as the writers spell it (AppendRecommendationsLine: `{"user": 12, "tracks":
// [` or `{"track": 5, "recommendations": [`), read without parsing the list: for passes
// that only route lines by key. False for any other spelling (the caller then parses the
// line); a true answer is what ParseRecommendationsLine gives unless the line repeats the
// key field later, which the full parse of the line catches.
bool PeekRecommendationsKey(std::string_view line, ListKey* key, std::uint32_t* id);

}  // namespace botify::catalog
