// The one interface every recommender implements (docs/contracts.md §5):
// (user, previous track, previous time) -> next track, always a valid catalog track.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/random.h"

namespace botify::serving {

class SessionState;

struct RecommendRequest {
  UserId user = 0;
  TrackId track = 0;  // the track just played; a valid catalog id
  double time = 0;    // fraction of it listened to, in [0, 1]
  // The listener's current session, already updated with this request's track; set for
  // recommenders whose uses_session() is true, null otherwise. Valid during the call.
  const SessionState* session = nullptr;
};

// Per-thread scratch state handed to every call, so recommenders stay immutable and
// lock-free. Thread-compatible: one per worker thread.
struct RecommendContext {
  explicit RecommendContext(std::uint64_t seed) : rng(seed) {}
  Rng rng;
  std::vector<TrackId> scratch;  // reused list buffer for index lookups
  std::vector<float> scores;     // reused buffer for scoring a list
};

// Implementations are immutable after construction and thread-safe.
class Recommender {
 public:
  virtual ~Recommender() = default;
  virtual TrackId Recommend(const RecommendRequest& request, RecommendContext& ctx) const = 0;
  // Short description for status pages: "random", "indexed(ub)".
  virtual std::string Describe() const = 0;
  // True if Recommend() wants RecommendRequest::session; the server then keeps the
  // user's session state (a lock and a few binary searches per request).
  virtual bool uses_session() const { return false; }
  // For session-aware recommenders that keep state of their own in the session
  // (SessionState::ModelState): called with the session locked, after it recorded the
  // request's play and before Recommend(). The default keeps nothing.
  virtual void Observe(const RecommendRequest& /*request*/, SessionState& /*session*/) const {}
};

}  // namespace botify::serving
