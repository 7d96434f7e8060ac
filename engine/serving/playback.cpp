#include "engine/serving/playback.h"

namespace botify::serving {

namespace {

std::int64_t Milliseconds(std::chrono::nanoseconds since_epoch) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
}

// The recommender's answer; keeps the user's session state for recommenders that use it.
TrackId Recommend(const PlaybackServices& services, const Recommender& recommender,
                  RecommendRequest request, RecommendContext& ctx) {
  if (!recommender.uses_session()) return recommender.Recommend(request, ctx);
  const std::int64_t now_ms = Milliseconds(services.clock.SteadyNow().time_since_epoch());
  return services.sessions.WithSession(
      request.user, request.track, now_ms, [&](SessionState& session) {
        return RecommendInSession(recommender, services.catalog, request, session, ctx);
      });
}

}  // namespace

TrackId RecommendInSession(const Recommender& recommender, const catalog::Catalog& catalog,
                           RecommendRequest request, SessionState& session, RecommendContext& ctx) {
  session.RecordPlayed(request.track, request.time, catalog.artist_of(request.track));
  recommender.Observe(request, session);
  request.session = &session;
  const TrackId next = recommender.Recommend(request, ctx);
  session.RecordRecommended(next);
  return next;
}

PlaybackDecision DecidePlayback(const PlaybackServices& services, const PlaybackRequest& request,
                                PlaybackScratch& scratch) {
  const Routing::Decision route = services.routing.Route(request.user, scratch.arms);
  PlaybackDecision decision;
  decision.routed_arm = route.routed_arm;
  if (request.kind == eventlog::EventKind::kNext) {
    decision.recommendation =
        Recommend(services, *route.recommender, {request.user, request.track, request.time},
                  scratch.recommend);
  } else {
    services.sessions.End(request.user);
  }
  if (services.sink != nullptr) {
    const double latency =
        std::chrono::duration<double>(services.clock.SteadyNow() - request.start).count();
    scratch.log_line.clear();
    eventlog::AppendEventJson(
        &scratch.log_line, request.kind, Milliseconds(services.clock.WallNow().time_since_epoch()),
        request.user, request.track, request.time, latency, decision.recommendation, scratch.arms);
    services.sink->Append(scratch.producer, scratch.log_line);
  }
  return decision;
}

}  // namespace botify::serving
