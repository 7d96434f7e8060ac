// The session-aware twin of the list recommenders (issue 14): `session:indexed:NAME`,
// `session:contextual:NAME`, `session:toppop[:NAME[:N]]`. Where the plain ones pick a
// uniformly random element of one list (the original's behaviour, kept unchanged), this
// walks the candidate lists in rank order and returns the best candidate not yet played
// or recommended in this session, preferring the artists played least:
//
//   the first unseen candidate whose artist has not played in the session; failing that,
//   the unseen candidate whose artist has played least (earliest in rank among equals).
//
// Candidate lists, in order (a later list is read only if no earlier one offers a
// candidate of an artist not yet played):
//   indexed     the user's list
//   contextual  the lists of the session's first track, of its best-listened track, and
//               of the previous track (the session's anchors: the first track is what the
//               listener chose, the best-listened one what they liked since)
//   toppop      the first N of the ranking
// If every candidate was seen, a random unseen catalog track; a repeat only if the whole
// catalog was seen. Without a session (RecommendRequest::session null) the walk runs as
// for an empty session. Thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "engine/catalog/catalog.h"
#include "engine/serving/indexed_recommender.h"
#include "engine/serving/recommender.h"
#include "engine/serving/session_state.h"
#include "engine/serving/track_list_index.h"

namespace botify::serving {

class SessionAwareRecommender final : public Recommender {
 public:
  using Key = IndexedRecommender::Key;

  // `catalog` and `slot` must outlive this object. `limit` > 0 reads only the first
  // `limit` entries of each list; 0 = whole lists.
  SessionAwareRecommender(const catalog::Catalog& catalog, std::string index_name,
                          const IndexSlot* slot, Key key, std::size_t limit = 0)
      : catalog_(catalog),
        index_name_(std::move(index_name)),
        slot_(slot),
        key_(key),
        limit_(limit) {}

  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override;
  std::string Describe() const override;
  bool uses_session() const override { return true; }

 private:
  // The best candidate seen so far in the walk.
  struct Pick {
    TrackId track = 0;
    std::uint32_t artist_plays = ~0u;
    bool found() const { return artist_plays != ~0u; }
  };
  // Scans one list into `best`; true once a candidate of an unplayed artist is found.
  bool Scan(std::span<const TrackId> list, const SessionState* session, Pick* best) const;

  const catalog::Catalog& catalog_;
  std::string index_name_;
  const IndexSlot* slot_;
  Key key_;
  std::size_t limit_;
};

}  // namespace botify::serving
