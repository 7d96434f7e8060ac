#include "engine/eventlog/event.h"

#include <fmt/format.h>

#include <array>
#include <boost/json/object.hpp>

#include "base/append_number.h"
#include "base/json_fields.h"
#include "engine/eventlog/event_fast_parser.h"

namespace botify::eventlog {

std::string_view EventMessage(EventKind kind) { return kind == EventKind::kNext ? "next" : "last"; }

namespace {
constexpr std::array<std::string_view, kMaxArms> kArmNames = {"C",  "T1", "T2", "T3", "T4",
                                                              "T5", "T6", "T7", "T8"};
}  // namespace

std::string_view ArmName(int arm) {
  return arm >= 0 && arm < kMaxArms ? kArmNames[arm] : std::string_view("?");
}

int ArmIndex(std::string_view name) {
  for (int i = 0; i < kMaxArms; ++i) {
    if (kArmNames[i] == name) return i;
  }
  return -1;
}

namespace {

// Writes a double so that JSON readers (pandas) see a float: 1 -> "1.0", 0.25 -> "0.25".
void AppendFloat(std::string* out, double v) {
  const std::size_t start = out->size();
  AppendDouble(out, v);
  if (std::string_view(*out).substr(start).find_first_of(".eEn") == std::string_view::npos) {
    out->append(".0");
  }
}

// Experiment names and arm names are validated identifiers (no quotes or backslashes),
// so they are written without escaping.
void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

}  // namespace

void AppendEventJson(std::string* out, EventKind kind, std::int64_t timestamp_ms, UserId user,
                     TrackId track, double time, double latency_seconds,
                     std::optional<TrackId> recommendation, std::span<const LoggedArm> arms) {
  out->append(R"({"message": ")");
  out->append(EventMessage(kind));
  out->append(R"(", "timestamp": )");
  AppendInt(out, timestamp_ms);
  out->append(R"(, "user": )");
  AppendInt(out, user);
  out->append(R"(, "track": )");
  AppendInt(out, track);
  out->append(R"(, "time": )");
  AppendFloat(out, time);
  out->append(R"(, "latency": )");
  AppendFloat(out, latency_seconds);
  out->append(R"(, "recommendation": )");
  if (recommendation) {
    AppendInt(out, *recommendation);
  } else {
    out->append("null");
  }
  out->append(R"(, "experiments": {)");
  for (std::size_t i = 0; i < arms.size(); ++i) {
    if (i > 0) out->append(", ");
    AppendQuoted(out, arms[i].experiment);
    out->append(": ");
    AppendQuoted(out, arms[i].arm);
  }
  out->append("}}\n");
}

const std::string* Event::ArmOf(std::string_view experiment) const {
  for (const auto& [name, arm] : experiments) {
    if (name == experiment) return &arm;
  }
  return nullptr;
}

bool TimestampFromNumber(double number, std::int64_t* ms) {
  // [-2^63, 2^63) holds every double whose truncation fits; NaN fails both comparisons.
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!(number >= -kLimit && number < kLimit)) return false;
  *ms = static_cast<std::int64_t>(number);
  return true;
}

Result<Event> ParseEventWithDom(std::string_view line) {
  auto obj = ParseObject(line);
  if (!obj.ok()) return obj.status();
  Event e;
  auto message = GetString(*obj, "message");
  if (!message.ok()) return message.status();
  if (*message == "next") {
    e.kind = EventKind::kNext;
  } else if (*message == "last") {
    e.kind = EventKind::kLast;
  } else {
    return Status::InvalidArgument("field 'message': expected \"next\" or \"last\", got \"" +
                                   *message + "\"");
  }
  auto ts = GetNumber(*obj, "timestamp");
  if (!ts.ok()) return ts.status();
  if (!TimestampFromNumber(*ts, &e.timestamp_ms)) {
    return Status::InvalidArgument(
        fmt::format("field 'timestamp': {} is out of range for milliseconds", *ts));
  }
  auto user = GetUnsigned(*obj, "user", kMaxId);
  if (!user.ok()) return user.status();
  e.user = static_cast<UserId>(*user);
  auto track = GetUnsigned(*obj, "track", kMaxId);
  if (!track.ok()) return track.status();
  e.track = static_cast<TrackId>(*track);
  auto time = GetNumber(*obj, "time");
  if (!time.ok()) return time.status();
  e.time = *time;
  if (obj->contains("latency")) {
    auto latency = GetNumber(*obj, "latency");
    if (!latency.ok()) return latency.status();
    e.latency = *latency;
  }
  if (const auto* rec = obj->if_contains("recommendation"); rec != nullptr && !rec->is_null()) {
    auto r = AsUnsigned(*rec, kMaxId);
    if (!r.ok()) return r.status().WithContext("field 'recommendation'");
    e.recommendation = static_cast<TrackId>(*r);
  }
  if (const auto* ex = obj->if_contains("experiments"); ex != nullptr && !ex->is_null()) {
    if (!ex->is_object()) {
      return Status::InvalidArgument("field 'experiments': expected an object, got " +
                                     Preview(*ex));
    }
    for (const auto& kv : ex->get_object()) {
      if (!kv.value().is_string()) {
        return Status::InvalidArgument("field 'experiments." + std::string(kv.key()) +
                                       "': expected a string arm, got " + Preview(kv.value()));
      }
      e.experiments.emplace_back(std::string(kv.key()), std::string(kv.value().get_string()));
    }
  }
  return e;
}

Result<Event> ParseEvent(std::string_view line) {
  thread_local FastEventParser parser;
  Event e;
  if (parser.Parse(line, &e)) return e;
  return ParseEventWithDom(line);
}

}  // namespace botify::eventlog
