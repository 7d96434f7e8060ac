#include "engine/world/users_file.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "base/file.h"
#include "base/json_fields.h"
#include "base/line_reader.h"

namespace botify::world {
namespace json = boost::json;
namespace {

constexpr std::string_view kFields[] = {"user",
                                        "interests",
                                        "consume_bias",
                                        "consume_sharpness",
                                        "interest_neighbours",
                                        "session_budget",
                                        "artist_discount_gamma"};

Status ParseInterests(const json::object& obj, std::size_t track_count, User* u) {
  const json::value* v = obj.if_contains("interests");
  if (v == nullptr) return Status::InvalidArgument("field 'interests' is missing");
  if (!v->is_array() || v->get_array().empty()) {
    return Status::InvalidArgument(
        "field 'interests': expected an array of one or more track ids, got " + Preview(*v));
  }
  const json::array& ids = v->get_array();
  u->interests.resize(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto t = AsUnsigned(ids[i], track_count - 1);
    if (!t.ok()) return t.status().WithContext(fmt::format("field 'interests[{}]'", i));
    u->interests[i] = static_cast<TrackId>(*t);
  }
  return Status::Ok();
}

// Reads a number field and checks it lies in [lo, hi]; an absent field keeps *out.
Status GetBounded(const json::object& obj, std::string_view field, double lo, double hi,
                  double* out) {
  if (!obj.contains(field)) return Status::Ok();
  auto v = GetNumber(obj, field);
  if (!v.ok()) return v.status();
  if (!std::isfinite(*v) || *v < lo || *v > hi) {
    return Status::InvalidArgument(
        fmt::format("field '{}': {} is outside [{}, {}]", field, *v, lo, hi));
  }
  *out = *v;
  return Status::Ok();
}

Status GetOptionalCount(const json::object& obj, std::string_view field, int max, int* out) {
  if (!obj.contains(field)) return Status::Ok();
  auto v = GetUnsigned(obj, field, static_cast<std::uint64_t>(max));
  if (!v.ok()) return v.status();
  if (*v == 0) return Status::InvalidArgument(fmt::format("field '{}' must be at least 1", field));
  *out = static_cast<int>(*v);
  return Status::Ok();
}

}  // namespace

bool IsUserField(std::string_view name) {
  return std::find(std::begin(kFields), std::end(kFields), name) != std::end(kFields);
}

Result<User> ParseUserLine(std::string_view line, std::size_t track_count,
                           std::vector<std::string>* fields) {
  if (track_count == 0) return Status::InvalidArgument("the catalog is empty");
  auto obj = ParseObject(line);
  if (!obj.ok()) return obj.status();
  if (fields != nullptr) {
    fields->clear();
    for (const auto& kv : *obj) fields->emplace_back(kv.key());
  }
  User u;
  auto id = GetUnsigned(*obj, "user", kMaxId);
  if (!id.ok()) return id.status();
  u.user = static_cast<UserId>(*id);
  BOTIFY_RETURN_IF_ERROR(ParseInterests(*obj, track_count, &u));
  BOTIFY_RETURN_IF_ERROR(GetBounded(*obj, "consume_bias", -1e6, 1e6, &u.consume_bias));
  BOTIFY_RETURN_IF_ERROR(GetBounded(*obj, "consume_sharpness", 0.0, 1e6, &u.consume_sharpness));
  BOTIFY_RETURN_IF_ERROR(
      GetBounded(*obj, "artist_discount_gamma", 0.0, 1.0, &u.artist_discount_gamma));
  BOTIFY_RETURN_IF_ERROR(GetOptionalCount(
      *obj, "interest_neighbours", static_cast<int>(std::min<std::size_t>(track_count, 1 << 20)),
      &u.interest_neighbours));
  BOTIFY_RETURN_IF_ERROR(GetOptionalCount(*obj, "session_budget", 1 << 20, &u.session_budget));
  return u;
}

void AppendUserLine(std::string* out, const User& u) {
  const User defaults;
  fmt::format_to(std::back_inserter(*out),
                 "{{\"user\": {}, \"interests\": [{}], \"consume_bias\": {}, "
                 "\"consume_sharpness\": {}",
                 u.user, fmt::join(u.interests, ", "), u.consume_bias, u.consume_sharpness);
  if (u.interest_neighbours != defaults.interest_neighbours) {
    fmt::format_to(std::back_inserter(*out), ", \"interest_neighbours\": {}",
                   u.interest_neighbours);
  }
  if (u.session_budget != defaults.session_budget) {
    fmt::format_to(std::back_inserter(*out), ", \"session_budget\": {}", u.session_budget);
  }
  if (u.artist_discount_gamma != defaults.artist_discount_gamma) {
    fmt::format_to(std::back_inserter(*out), ", \"artist_discount_gamma\": {}",
                   u.artist_discount_gamma);
  }
  out->append("}\n");
}

Result<std::vector<User>> LoadUsers(const std::string& path, std::size_t track_count) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  LineReader& in = **reader;
  std::vector<User> users;
  std::unordered_set<UserId> seen;
  std::string_view line;
  while (in.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto u = ParseUserLine(line, track_count);
    if (!u.ok()) return u.status().WithContext(in.Where());
    if (!seen.insert(u->user).second) {
      return Status::InvalidArgument(fmt::format("{}: user {} appears twice", in.Where(), u->user));
    }
    users.push_back(*u);
  }
  BOTIFY_RETURN_IF_ERROR(in.status());
  if (users.empty()) return Status::InvalidArgument(path + ": has no users");
  return users;
}

Status WriteUsers(const std::string& path, const std::vector<User>& users) {
  std::string text;
  for (const User& u : users) AppendUserLine(&text, u);
  return WriteWholeFile(path, text);
}

}  // namespace botify::world
