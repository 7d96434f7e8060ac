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

// Keys of a session model's chunks inside an index generation (docs/contracts.md §6):
// "\xff\xff\xff\xff" "session_model/" and the 4-byte big-endian chunk number. Longer than
// the 4-byte id keys, so every one sorts after every list (even the list of id 2^32 - 1),
// and in chunk order. The value of chunk i is bytes [i * kSessionModelChunkBytes, ...) of
// the model's file (engine/serving/session_model_file.h).
inline constexpr std::size_t kSessionModelChunkBytes = std::size_t{1} << 20;
std::string SessionModelChunkKey(std::uint32_t chunk);
// True if `key` is a chunk key; its number in *chunk.
bool DecodeSessionModelChunkKey(std::string_view key, std::uint32_t* chunk);

// Catalog record value: varint-free, length-prefixed artist then title
// (uint32 little-endian length + bytes, twice).
std::string EncodeTrackRecord(std::string_view artist, std::string_view title);
Status DecodeTrackRecord(std::string_view value, std::string* artist, std::string* title);

}  // namespace botify::storage
