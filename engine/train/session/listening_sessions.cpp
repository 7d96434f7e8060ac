#include "engine/train/session/listening_sessions.h"

#include <algorithm>

namespace botify::train::session {

void ListeningSessionBuilder::Add(const eventlog::Event& event) {
  rows_.push_back(Row{event.timestamp_ms, event.user, event.track, static_cast<float>(event.time),
                      event.kind == eventlog::EventKind::kLast});
}

ListeningSessions ListeningSessionBuilder::Finish(ListeningSessionStats* stats) {
  ListeningSessionStats local;
  if (stats == nullptr) stats = &local;
  *stats = ListeningSessionStats{};
  stats->rows = rows_.size();
  for (const Row& row : rows_) stats->max_track = std::max(stats->max_track, row.track);
  std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    if (a.user != b.user) return a.user < b.user;
    return a.timestamp_ms < b.timestamp_ms;
  });
  ListeningSessions out;
  std::size_t open = 0;  // first row of the user's open session
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (i == 0 || rows_[i].user != rows_[i - 1].user) {
      if (i > 0) stats->rows_after_last += i - open;
      ++stats->users;
      open = i;
    }
    if (!rows_[i].is_last) continue;
    for (std::size_t r = open; r <= i; ++r) {
      out.tracks.push_back(rows_[r].track);
      out.times.push_back(rows_[r].time);
    }
    out.offsets.push_back(out.tracks.size());
    out.users.push_back(rows_[i].user);
    open = i + 1;
  }
  if (!rows_.empty()) stats->rows_after_last += rows_.size() - open;
  stats->sessions = out.size();
  rows_.clear();
  rows_.shrink_to_fit();
  return out;
}

}  // namespace botify::train::session
