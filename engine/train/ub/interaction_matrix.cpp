#include "engine/train/ub/interaction_matrix.h"

#include <algorithm>
#include <cmath>

#include "base/compensated_sum.h"

namespace botify::train::ub {
namespace {

// Dense index of every distinct id in `ids` (sorted, unique), as a lookup table.
template <typename Id>
std::vector<Id> DistinctSorted(std::vector<Id> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::uint32_t IndexOf(const std::vector<std::uint32_t>& sorted, std::uint32_t id) {
  return static_cast<std::uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), id) -
                                    sorted.begin());
}

// Fills the CSC copy of the CSR entries (counting sort by track; users stay ascending).
void BuildColumns(InteractionMatrix* m) {
  m->col_offsets.assign(m->num_tracks() + 1, 0);
  for (std::uint32_t t : m->row_tracks) ++m->col_offsets[t + 1];
  for (std::size_t j = 0; j < m->num_tracks(); ++j) m->col_offsets[j + 1] += m->col_offsets[j];
  m->col_users.resize(m->num_entries());
  m->col_values.resize(m->num_entries());
  std::vector<std::uint32_t> next(m->col_offsets.begin(), m->col_offsets.end() - 1);
  for (std::uint32_t u = 0; u < m->num_users(); ++u) {
    for (std::uint32_t e = m->row_offsets[u]; e < m->row_offsets[u + 1]; ++e) {
      const std::uint32_t slot = next[m->row_tracks[e]]++;
      m->col_users[slot] = u;
      m->col_values[slot] = m->row_values[e];
    }
  }
}

}  // namespace

// Appends one user's row of R from their rows [begin, end), in file order. Sums run as
// pandas runs them (compensated, the user's mean over rows in file order, each pair's mean
// over its rows in file order), so that the reference's exact ties stay exact ties.
void InteractionMatrixBuilder::AppendUser(Row* begin, Row* end, InteractionMatrix* m) {
  CompensatedSum user_time;
  for (const Row* r = begin; r != end; ++r) user_time.Add(r->time);
  const double mean = user_time.mean();
  // Stable: a pair's rows keep file order.
  std::stable_sort(begin, end, [](const Row& a, const Row& b) { return a.track < b.track; });
  double norm2 = 0;
  for (const Row* i = begin; i != end;) {
    const Row* j = i;
    CompensatedSum pair_time;
    for (; j != end && j->track == i->track; ++j) pair_time.Add(j->time - mean);
    const double value = pair_time.mean();
    m->row_tracks.push_back(IndexOf(m->tracks, i->track));
    m->row_values.push_back(value);
    norm2 += value * value;
    i = j;
  }
  m->users.push_back(begin->user);
  m->row_offsets.push_back(static_cast<std::uint32_t>(m->row_tracks.size()));
  m->row_norms.push_back(std::sqrt(norm2));
}

InteractionMatrix InteractionMatrixBuilder::Build() {
  // Group rows by user; stable so that each user's rows keep file order (AppendUser
  // then groups them by track).
  std::stable_sort(rows_.begin(), rows_.end(),
                   [](const Row& a, const Row& b) { return a.user < b.user; });
  InteractionMatrix m;
  std::vector<TrackId> track_ids;
  track_ids.reserve(rows_.size());
  for (const Row& r : rows_) track_ids.push_back(r.track);
  m.tracks = DistinctSorted(std::move(track_ids));
  m.row_offsets.push_back(0);
  for (std::size_t begin = 0; begin < rows_.size();) {
    std::size_t end = begin;
    while (end < rows_.size() && rows_[end].user == rows_[begin].user) ++end;
    AppendUser(rows_.data() + begin, rows_.data() + end, &m);
    begin = end;
  }
  rows_.clear();
  rows_.shrink_to_fit();
  BuildColumns(&m);
  return m;
}

}  // namespace botify::train::ub
