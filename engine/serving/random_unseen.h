// The session-aware recommenders' last resort: a uniformly random catalog track not yet
// played or recommended in the session.
#pragma once

#include "base/ids.h"
#include "base/random.h"
#include "engine/catalog/catalog.h"
#include "engine/serving/session_state.h"

namespace botify::serving {

// A random unseen track of `catalog` (any track without a session); a repeat only if the
// session saw every track. A few random draws, then a walk to the next unseen id.
TrackId RandomUnseenTrack(const catalog::Catalog& catalog, const SessionState* session, Rng& rng);

}  // namespace botify::serving
