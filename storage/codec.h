// On-disk encodings (docs/contracts.md §6): keys are fixed-width big-endian ids, so RocksDB's
// bytewise order is numeric order; track lists are packed little-endian uint32 arrays (4 bytes a
// track, no framing: the length is the value size / 4).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace botify::storage {

// 4-byte big-endian key for a user or track id.
std::string EncodeIdKey(std::uint32_t id);
void EncodeIdKey(std::uint32_t id, char out[4]);
// Inverse of EncodeIdKey; fails unless `key` is exactly 4 bytes.
Result<std::uint32_t> DecodeIdKey(std::string_view key);

std::string EncodeTrackList(std::span<const TrackId> tracks);
// Fails if the size is not a multiple of 4. `out` is reused (no allocation once warm).
Status DecodeTrackList(std::string_view value, std::vector<TrackId>* out);

// Catalog record value: varint-free, length-prefixed artist then title
// (uint32 little-endian length + bytes, twice).
std::string EncodeTrackRecord(std::string_view artist, std::string_view title);
Status DecodeTrackRecord(std::string_view value, std::string* artist, std::string* title);

}  // namespace botify::storage
