#include "engine/serving/session_model_recommender.h"

#include <algorithm>
#include <array>
#include <vector>

#include "engine/serving/random_unseen.h"
#include "engine/serving/session_state.h"

namespace botify::serving {

void SessionModelRecommender::Observe(const RecommendRequest& request,
                                      SessionState& session) const {
  const auto index = slot_->Load();
  const SessionModel* model = index ? index->session_model() : nullptr;
  // The model covers the catalog it was built for (checked when the index is loaded);
  // this guards a catalog that grew since.
  if (model == nullptr || session.first_track() >= model->tracks()) return;
  bool fresh = false;
  const std::span<float> state = session.ModelState(model->id(), model->state_size(), &fresh);
  // Fresh mid-session (a new generation was loaded): what is left is the first track and
  // this play; the plays in between were folded into the old model's state.
  if (fresh) model->Start(session.first_track(), state);
  if (session.plays() > 1 && request.track < model->tracks()) {
    // RecordPlayed already counted this play of its artist.
    const std::uint32_t artist_plays = session.ArtistPlays(catalog_.artist_of(request.track));
    model->Observe(request.track, request.time, artist_plays > 0 ? artist_plays - 1 : 0, state);
  }
}

TrackId SessionModelRecommender::Recommend(const RecommendRequest& request,
                                           RecommendContext& ctx) const {
  const SessionState* session = request.session;
  const auto index = slot_->Load();
  const SessionModel* model = index ? index->session_model() : nullptr;
  const std::span<const float> state = model != nullptr && session != nullptr
                                           ? session->ModelState(model->id())
                                           : std::span<const float>();
  // The lists hold catalog tracks (checked when the index was built and loaded) and the
  // model covers the catalog it was loaded for, so every candidate has a row.
  if (state.empty() || model->tracks() < catalog_.size()) {
    return RandomUnseenTrack(catalog_, session, ctx.rng);
  }

  std::array<TrackId, 3> anchors{};
  std::size_t anchor_count = 0;
  for (TrackId anchor : {session->first_track(), session->best_track(), request.track}) {
    if (std::find(anchors.begin(), anchors.begin() + anchor_count, anchor) ==
        anchors.begin() + anchor_count) {
      anchors[anchor_count++] = anchor;
    }
  }
  // The anchors' lists sit at unrelated places in a table larger than the caches: asking
  // for all their lines now puts the misses in flight together, instead of one list's
  // after another's as the copy below reaches them.
  for (std::size_t a = 0; a < anchor_count; ++a) {
    const std::span<const TrackId> list = model->Candidates(anchors[a]);
    const char* bytes = reinterpret_cast<const char*>(list.data());
    for (std::size_t offset = 0; offset < list.size_bytes(); offset += 64) {
      __builtin_prefetch(bytes + offset);
    }
    if (!list.empty()) __builtin_prefetch(bytes + list.size_bytes() - 1);  // an unaligned end
  }
  const SessionModel::Query query = model->QueryOf(state);
  double best_time = 0;
  float bound = model->ScoreBound(0);
  TrackId best = 0;
  bool found = false;
  // The anchors' candidates in anchor order, scored in one pass (so that the kernel's
  // prefetching runs on across anchors). A track listed under two anchors is looked at
  // twice, which changes nothing: only a strictly better time replaces the best.
  std::vector<TrackId>& candidates = ctx.scratch;
  candidates.clear();
  for (std::size_t a = 0; a < anchor_count; ++a) {
    const std::span<const TrackId> list = model->Candidates(anchors[a]);
    candidates.insert(candidates.end(), list.begin(), list.end());
  }
  ctx.scores.resize(candidates.size());
  model->ScoreAll(query, candidates, ctx.scores.data());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const float score = ctx.scores[i];
    if (score <= bound || session->Seen(candidates[i])) continue;
    const std::uint32_t plays = session->ArtistPlays(catalog_.artist_of(candidates[i]));
    if (found && model->Discount(plays) <= best_time) continue;  // cannot win: no sigmoid
    const double time = model->PredictTime(score, plays);
    if (!found || time > best_time) {
      best_time = time;
      best = candidates[i];
      found = true;
      bound = model->ScoreBound(time);
    }
  }
  return found ? best : RandomUnseenTrack(catalog_, session, ctx.rng);
}

}  // namespace botify::serving
