// `session_model:NAME` (docs/recommenders.md, "The session model"): the next track by a
// learned model of the listener's current session. Index NAME must be built with
// `botify index build --session-model` (its lists keyed by track are the model's
// candidates, held in memory beside it, SessionModel::Candidates); without it the arm
// serves a random unseen track, as the other arms fall back to Random.
//
// Per request, with the user's session locked:
//   Observe    folds the request's play into the session's query state (O(dim));
//   Recommend  reads the candidate lists of the session's anchors (its first track, its
//              best-listened track, the previous track) and returns the unseen candidate
//              with the highest predicted listen time, sigmoid(score + offset) * gamma^k,
//              k being the plays of its artist in the session; candidates whose score
//              cannot beat the best so far are passed over without a lookup, and those
//              whose artist discount alone cannot, without the sigmoid.
// The cost is bounded by the anchors' list lengths, whatever the session's length.
// Thread-safe.
#pragma once

#include <string>

#include "engine/catalog/catalog.h"
#include "engine/serving/recommender.h"
#include "engine/serving/track_list_index.h"

namespace botify::serving {

class SessionModelRecommender final : public Recommender {
 public:
  // `catalog` and `slot` must outlive this object.
  SessionModelRecommender(const catalog::Catalog& catalog, std::string index_name,
                          const IndexSlot* slot)
      : catalog_(catalog), index_name_(std::move(index_name)), slot_(slot) {}

  void Observe(const RecommendRequest& request, SessionState& session) const override;
  TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const override;
  std::string Describe() const override { return "session_model(" + index_name_ + ")"; }
  bool uses_session() const override { return true; }

 private:
  const catalog::Catalog& catalog_;
  std::string index_name_;
  const IndexSlot* slot_;
};

}  // namespace botify::serving
