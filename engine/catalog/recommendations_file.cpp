#include "engine/catalog/recommendations_file.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "base/json_fields.h"

namespace botify::catalog {

std::string_view ListKeyName(ListKey key) { return key == ListKey::kUser ? "user" : "track"; }

void AppendRecommendationsLine(std::string* out, ListKey key, std::uint32_t id,
                               std::span<const TrackId> tracks) {
  auto it = std::back_inserter(*out);
  if (key == ListKey::kUser) {
    fmt::format_to(it, R"({{"user": {}, "tracks": [{}]}})", id, fmt::join(tracks, ", "));
  } else {
    fmt::format_to(it, R"({{"track": {}, "recommendations": [{}]}})", id, fmt::join(tracks, ", "));
  }
  out->push_back('\n');
}

bool PeekRecommendationsKey(std::string_view line, ListKey* key, std::uint32_t* id) {
  struct Form {
    ListKey key;
    std::string_view head, tail;
  };
  static constexpr Form kForms[] = {
      {ListKey::kUser, R"({"user": )", R"(, "tracks": [)"},
      {ListKey::kTrack, R"({"track": )", R"(, "recommendations": [)"}};
  for (const Form& form : kForms) {
    if (!line.starts_with(form.head)) continue;
    const char* begin = line.data() + form.head.size();
    const char* end = line.data() + line.size();
    if (begin == end || (*begin == '0' && begin + 1 != end && std::isdigit(begin[1]))) return false;
    auto [after, ec] = std::from_chars(begin, end, *id);
    if (ec != std::errc() || after == begin) return false;
    if (!std::string_view(after, end - after).starts_with(form.tail)) return false;
    *key = form.key;
    return true;
  }
  return false;
}

Result<RecommendationsLine> ParseRecommendationsLine(std::string_view line) {
  auto obj = ParseObject(line);
  if (!obj.ok()) return obj.status();
  RecommendationsLine out;
  const char* list_field;
  if (obj->contains("user")) {
    out.key = ListKey::kUser;
    list_field = "tracks";
  } else if (obj->contains("track")) {
    out.key = ListKey::kTrack;
    list_field = "recommendations";
  } else {
    return Status::InvalidArgument("neither field 'user' nor field 'track' is present");
  }
  auto id = GetUnsigned(*obj, ListKeyName(out.key), kMaxId);
  if (!id.ok()) return id.status();
  out.id = static_cast<std::uint32_t>(*id);
  const auto* list = obj->if_contains(list_field);
  if (list == nullptr) {
    return Status::InvalidArgument(std::string("field '") + list_field + "' is missing");
  }
  if (!list->is_array()) {
    return Status::InvalidArgument(std::string("field '") + list_field +
                                   "': expected an array, got " + Preview(*list));
  }
  out.tracks.reserve(list->get_array().size());
  std::size_t i = 0;
  for (const auto& v : list->get_array()) {
    auto t = AsUnsigned(v, kMaxId);
    if (!t.ok()) {
      return t.status().WithContext(std::string("field '") + list_field + "[" + std::to_string(i) +
                                    "]'");
    }
    out.tracks.push_back(static_cast<TrackId>(*t));
    ++i;
  }
  return out;
}

}  // namespace botify::catalog
