#include "engine/ab/sessionizer.h"

#include <algorithm>
#include <utility>

namespace botify::ab {

void SessionSeries::AddSession(std::size_t k, std::int64_t session_tracks, double session_time) {
  if (sessions.size() <= k) {
    sessions.resize(k + 1, 0);
    tracks.resize(k + 1, 0);
    time.resize(k + 1, 0);
  }
  ++sessions[k];
  tracks[k] += static_cast<double>(session_tracks);
  time[k] += session_time;
}

int SessionizedLog::HighestArm() const {
  for (int arm = eventlog::kMaxArms - 1; arm >= 0; --arm) {
    if (arms[arm].users > 0) return arm;
  }
  return -1;
}

void SessionizedLog::RecountFromSessions() {
  arms = {};
  series = {};
  std::size_t next = 0;
  for (const UserArmTotals& t : totals) {
    ArmCounts& counts = arms[t.arm];
    ++counts.users;
    counts.sessions += t.sessions;
    counts.rows += t.tracks;
    for (std::size_t k = 0; k < static_cast<std::size_t>(t.sessions); ++k, ++next) {
      series[t.arm].AddSession(k, sessions[next].tracks, sessions[next].time);
    }
  }
}

Sessionizer::Sessionizer(std::string experiment, SessionizerOptions options)
    : experiment_(std::move(experiment)),
      users_(options.users),
      keep_sessions_(options.keep_sessions),
      rows_(std::move(options.spill)) {
  log_.experiment = experiment_;
}

Sessionizer Sessionizer::ForAllRows(SessionizerOptions options) {
  Sessionizer s("", std::move(options));
  s.all_rows_ = true;
  return s;
}

void Sessionizer::NoteExperiments(const eventlog::Event& event) {
  auto& seen = log_.experiments_seen;
  for (const auto& [name, arm] : event.experiments) {
    if (std::find(seen.begin(), seen.end(), name) == seen.end()) seen.push_back(name);
  }
}

void Sessionizer::Add(const eventlog::Event& event) {
  ++log_.rows_read;
  NoteExperiments(event);
  if (!users_.Owns(event.user)) return;
  int arm = 0;
  if (!all_rows_) {
    const std::string* arm_name = event.ArmOf(experiment_);
    if (arm_name == nullptr) {
      ++log_.dropped.no_experiment;
      return;
    }
    arm = eventlog::ArmIndex(*arm_name);
    if (arm < 0) {
      ++log_.dropped.unknown_arm;
      return;
    }
  }
  if (!status_.ok()) return;
  status_ =
      rows_.Add(Row{event.timestamp_ms, event.time, event.latency * 1000.0, event.user,
                    static_cast<std::uint8_t>(arm), event.kind == eventlog::EventKind::kLast});
}

void Sessionizer::AddMalformed(std::int64_t lines) {
  log_.rows_read += lines;
  log_.dropped.malformed += lines;
}

void Sessionizer::Consume(const Row& row, OpenGroup* group, SessionizedLog* out) const {
  if (!group->active || row.user != group->totals.user || row.arm != group->totals.arm) {
    CloseGroup(group, out);
    *group = OpenGroup{.active = true, .totals = {.user = row.user, .arm = row.arm}};
  }
  UserArmTotals& totals = group->totals;
  ++group->open_tracks;
  group->open_time += row.time;
  group->open_latency_ms += row.latency_ms;
  if (!row.is_last) return;
  out->series[totals.arm].AddSession(static_cast<std::size_t>(totals.sessions), group->open_tracks,
                                     group->open_time);
  if (keep_sessions_) out->sessions.push_back({group->open_tracks, group->open_time});
  ++totals.sessions;
  totals.tracks += group->open_tracks;
  totals.time += group->open_time;
  totals.latency_ms += group->open_latency_ms;
  group->open_tracks = 0;
  group->open_time = 0;
  group->open_latency_ms = 0;
}

void Sessionizer::CloseGroup(OpenGroup* group, SessionizedLog* out) {
  if (!group->active) return;
  const UserArmTotals& totals = group->totals;
  out->dropped.after_final_last += group->open_tracks;
  ArmCounts& counts = out->arms[totals.arm];
  ++counts.users;
  counts.sessions += totals.sessions;
  counts.rows += totals.tracks;
  out->totals.push_back(totals);
  group->active = false;
}

Result<SessionizedLog> Sessionizer::Finish() {
  SessionizedLog out = std::move(log_);
  log_ = SessionizedLog{};
  log_.experiment = experiment_;
  std::sort(out.experiments_seen.begin(), out.experiments_seen.end());
  Status status = std::move(status_);
  status_ = Status::Ok();
  // The rows move out, so the Sessionizer is empty afterwards on the error path too.
  auto rows = std::exchange(rows_, ExternalSorter<Row, RowLess>(rows_.options()));
  BOTIFY_RETURN_IF_ERROR(status);
  OpenGroup group;
  BOTIFY_RETURN_IF_ERROR(rows.ForEachSorted([&](const Row& row) { Consume(row, &group, &out); }));
  CloseGroup(&group, &out);
  return out;
}

}  // namespace botify::ab
