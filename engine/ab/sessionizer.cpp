#include "engine/ab/sessionizer.h"

#include <algorithm>
#include <utility>

namespace botify::ab {

int SessionizedLog::HighestArm() const {
  for (int arm = serving::kMaxArms - 1; arm >= 0; --arm) {
    if (arms[arm].users > 0) return arm;
  }
  return -1;
}

Sessionizer::Sessionizer(std::string experiment) : experiment_(std::move(experiment)) {
  log_.experiment = experiment_;
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
  const std::string* arm_name = event.ArmOf(experiment_);
  if (arm_name == nullptr) {
    ++log_.dropped.no_experiment;
    return;
  }
  int arm = serving::ArmIndex(*arm_name);
  if (arm < 0) {
    ++log_.dropped.unknown_arm;
    return;
  }
  rows_.push_back(Row{event.timestamp_ms, event.time, event.latency * 1000.0, event.user,
                      static_cast<std::uint8_t>(arm), event.kind == eventlog::EventKind::kLast});
}

void Sessionizer::AddMalformed(std::int64_t lines) {
  log_.rows_read += lines;
  log_.dropped.malformed += lines;
}

void Sessionizer::SessionizeGroup(const Row* begin, const Row* end, SessionizedLog* out) const {
  UserArmTotals totals{.user = begin->user, .arm = begin->arm};
  SessionSeries& series = out->series[begin->arm];
  std::int64_t open_tracks = 0;
  double open_time = 0;
  double open_latency_ms = 0;
  for (const Row* row = begin; row != end; ++row) {
    ++open_tracks;
    open_time += row->time;
    open_latency_ms += row->latency_ms;
    if (!row->is_last) continue;
    auto k = static_cast<std::size_t>(totals.sessions);
    if (series.sessions.size() <= k) {
      series.sessions.resize(k + 1, 0);
      series.tracks.resize(k + 1, 0);
      series.time.resize(k + 1, 0);
    }
    ++series.sessions[k];
    series.tracks[k] += static_cast<double>(open_tracks);
    series.time[k] += open_time;
    ++totals.sessions;
    totals.tracks += open_tracks;
    totals.time += open_time;
    totals.latency_ms += open_latency_ms;
    open_tracks = 0;
    open_time = 0;
    open_latency_ms = 0;
  }
  out->dropped.after_final_last += open_tracks;
  ArmCounts& counts = out->arms[totals.arm];
  ++counts.users;
  counts.sessions += totals.sessions;
  counts.rows += totals.tracks;
  out->totals.push_back(totals);
}

SessionizedLog Sessionizer::Finish() {
  std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    if (a.user != b.user) return a.user < b.user;
    if (a.arm != b.arm) return a.arm < b.arm;
    return a.timestamp_ms < b.timestamp_ms;
  });
  SessionizedLog out = std::move(log_);
  std::sort(out.experiments_seen.begin(), out.experiments_seen.end());
  const Row* data = rows_.data();
  for (std::size_t begin = 0; begin < rows_.size();) {
    std::size_t end = begin + 1;
    while (end < rows_.size() && data[end].user == data[begin].user &&
           data[end].arm == data[begin].arm) {
      ++end;
    }
    SessionizeGroup(data + begin, data + end, &out);
    begin = end;
  }
  rows_.clear();
  rows_.shrink_to_fit();
  log_ = SessionizedLog{};
  log_.experiment = experiment_;
  return out;
}

}  // namespace botify::ab
