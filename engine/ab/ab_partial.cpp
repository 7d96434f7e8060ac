#include "engine/ab/ab_partial.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <map>
#include <numeric>

#include "base/file.h"
#include "base/json_fields.h"
#include "base/line_reader.h"

namespace botify::ab {
namespace {

namespace json = boost::json;

constexpr std::int64_t kVersion = 1;
constexpr std::string_view kFormatField = "botify_ab_partial";

// ---- writing

json::object DroppedJson(const DropCounts& d) {
  return {{"no_experiment", d.no_experiment},
          {"unknown_arm", d.unknown_arm},
          {"after_final_last", d.after_final_last},
          {"malformed", d.malformed}};
}

std::string HeaderLine(const AbPartial& p) {
  json::array seen;
  for (const auto& name : p.log.experiments_seen) seen.emplace_back(name);
  json::object header{{kFormatField, kVersion},
                      {"experiment", p.experiment},
                      {"shard", p.shard.ToString()},
                      {"logs", p.logs},
                      {"rows_read", p.log.rows_read},
                      {"dropped", DroppedJson(p.log.dropped)},
                      {"experiments_seen", std::move(seen)},
                      {"users", p.log.totals.size()},
                      {"sessions", p.log.sessions.size()}};
  if (p.pre_period) {
    header["pre_logs"] = p.pre_logs;
    header["pre_rows_read"] = p.pre_period->rows_read;
    header["pre_malformed"] = p.pre_period->dropped.malformed;
    header["pre_period_users"] = p.pre_period->totals.size();
  } else {
    header["pre_logs"] = nullptr;
  }
  return json::serialize(header) + "\n";
}

void AppendTotals(const UserArmTotals& t, std::string* out) {
  // "{}" is the shortest text that reads back to the same double.
  fmt::format_to(std::back_inserter(*out), "{} {} {} {}", t.sessions, t.tracks, t.time,
                 t.latency_ms);
}

// ---- reading

// The space-separated fields of one line, parsed in turn; errors name the line and field.
class FieldReader {
 public:
  FieldReader(std::string_view line, std::string where) : rest_(line), where_(std::move(where)) {}

  template <typename T>
  Status Next(const char* field, T* value) {
    const auto space = rest_.find(' ');
    const std::string_view token = rest_.substr(0, space);
    rest_ = space == std::string_view::npos ? std::string_view() : rest_.substr(space + 1);
    if (token.empty()) return Fail(field, "missing");
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), *value);
    if (ec != std::errc() || end != token.data() + token.size()) {
      return Fail(field, "'" + std::string(token) + "' is not a number of its type");
    }
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(*value)) return Fail(field, "is not finite");
    }
    return Status::Ok();
  }
  Status End() const {
    return rest_.empty()
               ? Status::Ok()
               : Status::InvalidArgument(where_ + ": unexpected text after the fields: '" +
                                         std::string(rest_.substr(0, 40)) + "'");
  }
  Status Fail(const char* field, const std::string& problem) const {
    return Status::InvalidArgument(where_ + ": " + field + ": " + problem);
  }

 private:
  std::string_view rest_;
  std::string where_;
};

Status ReadTotals(FieldReader* f, UserArmTotals* t) {
  BOTIFY_RETURN_IF_ERROR(f->Next("sessions", &t->sessions));
  BOTIFY_RETURN_IF_ERROR(f->Next("tracks", &t->tracks));
  BOTIFY_RETURN_IF_ERROR(f->Next("time", &t->time));
  BOTIFY_RETURN_IF_ERROR(f->Next("latency_ms", &t->latency_ms));
  if (t->sessions < 0 || t->tracks < 0) return f->Fail("sessions", "negative count");
  return Status::Ok();
}

// A `u` line: the totals and the sessions, which must add up to them exactly (the
// Sessionizer adds session sums in this order).
Status ReadUserLine(FieldReader* f, const KeyShard& shard, AbPartial* p) {
  UserArmTotals t;
  BOTIFY_RETURN_IF_ERROR(f->Next("user", &t.user));
  BOTIFY_RETURN_IF_ERROR(f->Next("arm", &t.arm));
  if (t.arm < 0 || t.arm >= eventlog::kMaxArms) return f->Fail("arm", "outside 0..8");
  BOTIFY_RETURN_IF_ERROR(ReadTotals(f, &t));
  if (!shard.Owns(t.user)) {
    return f->Fail("user",
                   fmt::format("user {} does not belong to shard {}", t.user, shard.ToString()));
  }
  const auto& totals = p->log.totals;
  if (!totals.empty() &&
      std::pair(totals.back().user, totals.back().arm) >= std::pair(t.user, t.arm)) {
    return f->Fail("user", "not in ascending (user, arm) order");
  }
  std::int64_t tracks = 0;
  double time = 0;
  for (std::int64_t k = 0; k < t.sessions; ++k) {
    ClosedSession s;
    BOTIFY_RETURN_IF_ERROR(f->Next("session tracks", &s.tracks));
    BOTIFY_RETURN_IF_ERROR(f->Next("session time", &s.time));
    tracks += s.tracks;
    time += s.time;
    p->log.sessions.push_back(s);
  }
  BOTIFY_RETURN_IF_ERROR(f->End());
  if (tracks != t.tracks || time != t.time) {
    return f->Fail("sessions", "the sessions do not add up to the totals");
  }
  p->log.totals.push_back(t);
  return Status::Ok();
}

Status ReadPreLine(FieldReader* f, const KeyShard& shard, SessionizedLog* pre) {
  UserArmTotals t;
  BOTIFY_RETURN_IF_ERROR(f->Next("user", &t.user));
  BOTIFY_RETURN_IF_ERROR(ReadTotals(f, &t));
  BOTIFY_RETURN_IF_ERROR(f->End());
  if (!shard.Owns(t.user)) {
    return f->Fail("user",
                   fmt::format("user {} does not belong to shard {}", t.user, shard.ToString()));
  }
  if (!pre->totals.empty() && pre->totals.back().user >= t.user) {
    return f->Fail("user", "not in ascending order");
  }
  pre->totals.push_back(t);
  return Status::Ok();
}

Result<std::int64_t> GetCount(const json::object& o, std::string_view field) {
  auto v = GetUnsigned(o, field, static_cast<std::uint64_t>(INT64_MAX));
  if (!v.ok()) return v.status();
  return static_cast<std::int64_t>(*v);
}

// The header's fields into `p`; the counts the body must have into the out-parameters.
Status ReadHeader(std::string_view line, AbPartial* p, std::int64_t* users, std::int64_t* sessions,
                  std::int64_t* pre_users) {
  auto parsed = ParseObject(line);
  if (!parsed.ok()) return parsed.status();
  const json::object& o = *parsed;
  auto version = GetCount(o, kFormatField);
  if (!version.ok()) {
    return Status::InvalidArgument("not a partial from `botify ab --partial`: " +
                                   version.status().message());
  }
  if (*version != kVersion) {
    return Status::InvalidArgument(
        fmt::format("partial format version {}, this botify reads version {}", *version, kVersion));
  }
  auto experiment = GetString(o, "experiment");
  auto shard_text = GetString(o, "shard");
  auto logs = GetString(o, "logs");
  for (const Status& s : {experiment.status(), shard_text.status(), logs.status()}) {
    BOTIFY_RETURN_IF_ERROR(s);
  }
  auto shard = KeyShard::Parse(*shard_text);
  if (!shard.ok()) return shard.status();
  p->experiment = *experiment;
  p->shard = *shard;
  p->logs = *logs;
  p->log.experiment = *experiment;
  struct Count {
    std::string_view field;
    std::int64_t* value;
  };
  std::array<Count, 3> counts = {
      {{"users", users}, {"sessions", sessions}, {"rows_read", &p->log.rows_read}}};
  for (const Count& c : counts) {
    auto v = GetCount(o, c.field);
    if (!v.ok()) return v.status();
    *c.value = *v;
  }
  const json::value* dropped = o.if_contains("dropped");
  if (dropped == nullptr || !dropped->is_object()) {
    return Status::InvalidArgument("field 'dropped': missing or not an object");
  }
  DropCounts& d = p->log.dropped;
  std::array<Count, 4> drops = {{{"no_experiment", &d.no_experiment},
                                 {"unknown_arm", &d.unknown_arm},
                                 {"after_final_last", &d.after_final_last},
                                 {"malformed", &d.malformed}}};
  for (const Count& c : drops) {
    auto v = GetCount(dropped->as_object(), c.field);
    if (!v.ok()) return v.status().WithContext("field 'dropped'");
    *c.value = *v;
  }
  const json::value* seen = o.if_contains("experiments_seen");
  if (seen == nullptr || !seen->is_array()) {
    return Status::InvalidArgument("field 'experiments_seen': missing or not an array");
  }
  for (const json::value& name : seen->as_array()) {
    if (!name.is_string()) return Status::InvalidArgument("field 'experiments_seen': not a string");
    p->log.experiments_seen.emplace_back(name.as_string());
  }
  const json::value* pre_logs = o.if_contains("pre_logs");
  *pre_users = 0;
  if (pre_logs == nullptr || pre_logs->is_null()) return Status::Ok();
  auto pre_text = GetString(o, "pre_logs");
  if (!pre_text.ok()) return pre_text.status();
  p->pre_logs = *pre_text;
  SessionizedLog& pre = p->pre_period.emplace();
  std::array<Count, 3> pre_counts = {{{"pre_rows_read", &pre.rows_read},
                                      {"pre_malformed", &pre.dropped.malformed},
                                      {"pre_period_users", pre_users}}};
  for (const Count& c : pre_counts) {
    auto v = GetCount(o, c.field);
    if (!v.ok()) return v.status();
    *c.value = *v;
  }
  return Status::Ok();
}

// ---- merging

// The first partial's value of `what`, which every other must share.
template <typename Get>
Status CheckAgree(const std::vector<AbPartial>& partials, const std::vector<std::string>& names,
                  const char* what, Get get) {
  for (std::size_t i = 1; i < partials.size(); ++i) {
    if (!(get(partials[i]) == get(partials[0]))) {
      return Status::InvalidArgument(
          fmt::format("{} and {} disagree on {}: they are not shards of one run over the same "
                      "input",
                      names[0], names[i], what));
    }
  }
  return Status::Ok();
}

Status CheckOneSet(const std::vector<AbPartial>& partials, const std::vector<std::string>& names) {
  if (partials.empty()) return Status::InvalidArgument("no partials to merge");
  const std::uint32_t n = partials[0].shard.count;
  std::vector<int> owner(n, -1);
  for (std::size_t i = 0; i < partials.size(); ++i) {
    const KeyShard& s = partials[i].shard;
    if (s.count != n) {
      return Status::InvalidArgument(
          fmt::format("{} is shard {} but {} is shard {}: one run has "
                      "one number of shards",
                      names[i], s.ToString(), names[0], partials[0].shard.ToString()));
    }
    if (owner[s.index] >= 0) {
      return Status::InvalidArgument(fmt::format("{} and {} are both shard {}",
                                                 names[owner[s.index]], names[i], s.ToString()));
    }
    owner[s.index] = static_cast<int>(i);
  }
  for (std::uint32_t k = 0; k < n; ++k) {
    if (owner[k] < 0) {
      return Status::InvalidArgument(
          fmt::format("shard {}/{} is missing: {} partials given, the run has {} shards", k, n,
                      partials.size(), n));
    }
  }
  using P = const AbPartial&;
  BOTIFY_RETURN_IF_ERROR(
      CheckAgree(partials, names, "the experiment", [](P p) { return p.experiment; }));
  BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "--logs", [](P p) { return p.logs; }));
  BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "--pre-logs", [](P p) { return p.pre_logs; }));
  BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "having a pre-period",
                                    [](P p) { return p.pre_period.has_value(); }));
  BOTIFY_RETURN_IF_ERROR(
      CheckAgree(partials, names, "the rows read", [](P p) { return p.log.rows_read; }));
  BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "the malformed lines",
                                    [](P p) { return p.log.dropped.malformed; }));
  BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "the experiments seen",
                                    [](P p) { return p.log.experiments_seen; }));
  if (partials[0].pre_period) {
    BOTIFY_RETURN_IF_ERROR(CheckAgree(partials, names, "the pre-period's rows read",
                                      [](P p) { return p.pre_period->rows_read; }));
  }
  return Status::Ok();
}

// Where one (user, arm) of one partial is.
struct Source {
  UserId user;
  int arm;
  std::uint32_t partial;
  std::size_t index;    // in that partial's totals
  std::size_t session;  // its first session in that partial's sessions
};

Result<SessionizedLog> MergeLogs(std::vector<AbPartial>& partials,
                                 const std::vector<std::string>& names) {
  std::vector<Source> sources;
  for (std::uint32_t p = 0; p < partials.size(); ++p) {
    const SessionizedLog& log = partials[p].log;
    std::size_t session = 0;
    for (std::size_t i = 0; i < log.totals.size(); ++i) {
      sources.push_back({log.totals[i].user, log.totals[i].arm, p, i, session});
      session += static_cast<std::size_t>(log.totals[i].sessions);
    }
    if (session != log.sessions.size()) {
      return Status::InvalidArgument(names[p] + ": its sessions do not match its totals");
    }
  }
  std::sort(sources.begin(), sources.end(), [](const Source& a, const Source& b) {
    return std::pair(a.user, a.arm) < std::pair(b.user, b.arm);
  });
  SessionizedLog out;
  out.experiment = partials[0].experiment;
  out.rows_read = partials[0].log.rows_read;
  out.experiments_seen = partials[0].log.experiments_seen;
  out.dropped.malformed = partials[0].log.dropped.malformed;
  for (const AbPartial& p : partials) {
    out.dropped.no_experiment += p.log.dropped.no_experiment;
    out.dropped.unknown_arm += p.log.dropped.unknown_arm;
    out.dropped.after_final_last += p.log.dropped.after_final_last;
  }
  out.totals.reserve(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const Source& s = sources[i];
    if (i > 0 && sources[i - 1].user == s.user && sources[i - 1].arm == s.arm) {
      return Status::InvalidArgument(fmt::format("user {} arm {} is in both {} and {}", s.user,
                                                 s.arm, names[sources[i - 1].partial],
                                                 names[s.partial]));
    }
    const SessionizedLog& log = partials[s.partial].log;
    const UserArmTotals& t = log.totals[s.index];
    out.totals.push_back(t);
    const auto first = log.sessions.begin() + static_cast<std::ptrdiff_t>(s.session);
    out.sessions.insert(out.sessions.end(), first, first + t.sessions);
  }
  out.RecountFromSessions();
  return out;
}

Result<SessionizedLog> MergePrePeriods(const std::vector<AbPartial>& partials,
                                       const std::vector<std::string>& names) {
  SessionizedLog out;
  out.rows_read = partials[0].pre_period->rows_read;
  out.dropped.malformed = partials[0].pre_period->dropped.malformed;
  for (const AbPartial& p : partials) {
    const auto& t = p.pre_period->totals;
    out.totals.insert(out.totals.end(), t.begin(), t.end());
  }
  std::sort(out.totals.begin(), out.totals.end(),
            [](const UserArmTotals& a, const UserArmTotals& b) { return a.user < b.user; });
  for (std::size_t i = 1; i < out.totals.size(); ++i) {
    if (out.totals[i - 1].user == out.totals[i].user) {
      return Status::InvalidArgument(fmt::format("pre-period user {} is in two partials (of {})",
                                                 out.totals[i].user, names.size()));
    }
  }
  for (const UserArmTotals& t : out.totals) {
    ++out.arms[0].users;
    out.arms[0].sessions += t.sessions;
    out.arms[0].rows += t.tracks;
  }
  return out;
}

}  // namespace

Status WriteAbPartial(const std::string& path, const AbPartial& p) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot create " + tmp);
    out << HeaderLine(p);
    std::string line;
    std::size_t session = 0;
    for (const UserArmTotals& t : p.log.totals) {
      line.clear();
      fmt::format_to(std::back_inserter(line), "u {} {} ", t.user, t.arm);
      AppendTotals(t, &line);
      for (std::int64_t k = 0; k < t.sessions; ++k, ++session) {
        const ClosedSession& s = p.log.sessions.at(session);
        fmt::format_to(std::back_inserter(line), " {} {}", s.tracks, s.time);
      }
      line += '\n';
      out << line;
    }
    if (p.pre_period) {
      for (const UserArmTotals& t : p.pre_period->totals) {
        line.clear();
        fmt::format_to(std::back_inserter(line), "p {} ", t.user);
        AppendTotals(t, &line);
        line += '\n';
        out << line;
      }
    }
    out.flush();
    if (!out) return Status::IoError("cannot write " + tmp + " (disk full?)");
  }
  return CommitFile(tmp, path);
}

Result<AbPartial> ReadAbPartial(const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) return reader.status();
  LineReader& in = **reader;
  AbPartial p;
  std::string_view line;
  if (!in.Next(&line)) {
    BOTIFY_RETURN_IF_ERROR(in.status());
    return Status::InvalidArgument(path + ": empty file, not a partial from `botify ab --partial`");
  }
  std::int64_t users = 0, sessions = 0, pre_users = 0;
  BOTIFY_RETURN_IF_ERROR(
      ReadHeader(line, &p, &users, &sessions, &pre_users).WithContext(in.Where()));
  while (in.Next(&line)) {
    FieldReader fields(line.size() >= 2 ? line.substr(2) : std::string_view(), in.Where());
    if (line.starts_with("u ")) {
      if (p.pre_period && !p.pre_period->totals.empty()) {
        return fields.Fail("line", "a (user, arm) line after the pre-period lines");
      }
      BOTIFY_RETURN_IF_ERROR(ReadUserLine(&fields, p.shard, &p));
    } else if (line.starts_with("p ")) {
      if (!p.pre_period) return fields.Fail("line", "a pre-period line, but the header has none");
      BOTIFY_RETURN_IF_ERROR(ReadPreLine(&fields, p.shard, &*p.pre_period));
    } else {
      return Status::InvalidArgument(in.Where() + ": not a 'u' or 'p' line: '" +
                                     std::string(line.substr(0, 40)) + "'");
    }
  }
  BOTIFY_RETURN_IF_ERROR(in.status());
  const auto got_pre = p.pre_period ? static_cast<std::int64_t>(p.pre_period->totals.size()) : 0;
  if (in.truncated() || static_cast<std::int64_t>(p.log.totals.size()) != users ||
      static_cast<std::int64_t>(p.log.sessions.size()) != sessions || got_pre != pre_users) {
    return Status::InvalidArgument(fmt::format(
        "{}: truncated: the header promises {} (user, arm) lines with {} sessions and {} "
        "pre-period users, the file has {}, {} and {}",
        path, users, sessions, pre_users, p.log.totals.size(), p.log.sessions.size(), got_pre));
  }
  p.log.RecountFromSessions();
  return p;
}

Result<AbPartial> MergeAbPartials(std::vector<AbPartial> partials,
                                  const std::vector<std::string>& names) {
  if (names.size() != partials.size()) {
    return Status::InvalidArgument("MergeAbPartials: one name per partial");
  }
  BOTIFY_RETURN_IF_ERROR(CheckOneSet(partials, names));
  AbPartial merged;
  merged.experiment = partials[0].experiment;
  merged.logs = partials[0].logs;
  merged.pre_logs = partials[0].pre_logs;
  auto log = MergeLogs(partials, names);
  if (!log.ok()) return log.status();
  merged.log = std::move(*log);
  if (partials[0].pre_period) {
    auto pre = MergePrePeriods(partials, names);
    if (!pre.ok()) return pre.status();
    merged.pre_period = std::move(*pre);
  }
  return merged;
}

}  // namespace botify::ab
