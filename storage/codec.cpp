#include "storage/codec.h"

#include <cstring>

namespace botify::storage {
namespace {

void PutFixed32LE(std::string* out, std::uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
               static_cast<char>(v >> 24)};
  out->append(b, 4);
}

std::uint32_t GetFixed32LE(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint32_t>(u[0]) | (static_cast<std::uint32_t>(u[1]) << 8) |
         (static_cast<std::uint32_t>(u[2]) << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

bool GetLengthPrefixed(std::string_view* in, std::string* out) {
  if (in->size() < 4) return false;
  const std::uint32_t n = GetFixed32LE(in->data());
  in->remove_prefix(4);
  if (in->size() < n) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

constexpr std::string_view kSessionModelPrefix = "\xff\xff\xff\xffsession_model/";

std::string SessionModelChunkKey(std::uint32_t chunk) {
  std::string key(kSessionModelPrefix);
  key += EncodeIdKey(chunk);
  return key;
}

bool DecodeSessionModelChunkKey(std::string_view key, std::uint32_t* chunk) {
  if (key.size() != kSessionModelPrefix.size() + 4 || !key.starts_with(kSessionModelPrefix)) {
    return false;
  }
  auto id = DecodeIdKey(key.substr(kSessionModelPrefix.size()));
  *chunk = *id;
  return true;
}

void EncodeIdKey(std::uint32_t id, char out[4]) {
  out[0] = static_cast<char>(id >> 24);
  out[1] = static_cast<char>(id >> 16);
  out[2] = static_cast<char>(id >> 8);
  out[3] = static_cast<char>(id);
}

std::string EncodeIdKey(std::uint32_t id) {
  std::string key(4, '\0');
  EncodeIdKey(id, key.data());
  return key;
}

Result<std::uint32_t> DecodeIdKey(std::string_view key) {
  if (key.size() != 4) {
    return Status::Corruption("id key has " + std::to_string(key.size()) + " bytes, expected 4");
  }
  const auto* u = reinterpret_cast<const unsigned char*>(key.data());
  return (static_cast<std::uint32_t>(u[0]) << 24) | (static_cast<std::uint32_t>(u[1]) << 16) |
         (static_cast<std::uint32_t>(u[2]) << 8) | static_cast<std::uint32_t>(u[3]);
}

std::string EncodeTrackList(std::span<const TrackId> tracks) {
  std::string out;
  out.reserve(tracks.size() * 4);
  for (TrackId t : tracks) PutFixed32LE(&out, t);
  return out;
}

Status DecodeTrackList(std::string_view value, std::vector<TrackId>* out) {
  if (value.size() % 4 != 0) {
    return Status::Corruption("track list value has " + std::to_string(value.size()) +
                              " bytes, not a multiple of 4");
  }
  out->resize(value.size() / 4);
  for (std::size_t i = 0; i < out->size(); ++i) (*out)[i] = GetFixed32LE(value.data() + 4 * i);
  return Status::Ok();
}

std::string EncodeTrackRecord(std::string_view artist, std::string_view title) {
  std::string out;
  out.reserve(8 + artist.size() + title.size());
  PutFixed32LE(&out, static_cast<std::uint32_t>(artist.size()));
  out.append(artist);
  PutFixed32LE(&out, static_cast<std::uint32_t>(title.size()));
  out.append(title);
  return out;
}

Status DecodeTrackRecord(std::string_view value, std::string* artist, std::string* title) {
  if (!GetLengthPrefixed(&value, artist) || !GetLengthPrefixed(&value, title) || !value.empty()) {
    return Status::Corruption("malformed catalog record");
  }
  return Status::Ok();
}

}  // namespace botify::storage
