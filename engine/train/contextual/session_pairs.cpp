#include "engine/train/contextual/session_pairs.h"

#include <algorithm>

namespace botify::train::contextual {

void SessionPairBuilder::Add(const eventlog::Event& event) {
  rows_.push_back(Row{event.timestamp_ms, event.user, event.track, static_cast<float>(event.time),
                      event.kind == eventlog::EventKind::kLast});
}

void SessionPairBuilder::SessionizeUser(const Row* begin, const Row* end,
                                        std::vector<ContextPair>* out,
                                        SessionPairStats* stats) const {
  const Row* session = begin;
  std::vector<TrackId> played;  // tracks of the session so far (sessions are short)
  for (const Row* row = begin; row != end; ++row) {
    if (!row->is_last) continue;
    ++stats->sessions;
    played.assign(1, session->track);
    for (const Row* r = session + 1; r <= row; ++r) {
      if (r->track == session->track) {
        ++stats->self_targets;
      } else if (std::find(played.begin(), played.end(), r->track) != played.end()) {
        ++stats->repeated_targets;
      } else {
        out->push_back(ContextPair{session->track, r->track, r->time});
      }
      played.push_back(r->track);
    }
    session = row + 1;
  }
  stats->rows_after_last += static_cast<std::size_t>(end - session);
}

std::vector<ContextPair> SessionPairBuilder::Finish(SessionPairStats* stats) {
  SessionPairStats local;
  if (stats == nullptr) stats = &local;
  *stats = SessionPairStats{};
  stats->rows = rows_.size();
  for (const Row& row : rows_) stats->max_track = std::max(stats->max_track, row.track);
  std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    if (a.user != b.user) return a.user < b.user;
    return a.timestamp_ms < b.timestamp_ms;
  });
  std::vector<ContextPair> pairs;
  for (std::size_t begin = 0; begin < rows_.size();) {
    std::size_t end = begin + 1;
    while (end < rows_.size() && rows_[end].user == rows_[begin].user) ++end;
    ++stats->users;
    SessionizeUser(rows_.data() + begin, rows_.data() + end, &pairs, stats);
    begin = end;
  }
  stats->pairs = pairs.size();
  rows_.clear();
  rows_.shrink_to_fit();
  return pairs;
}

}  // namespace botify::train::contextual
