// A simulated listener (docs/contracts.md §8): the parameters the user simulator needs for one
// user, as stored in `users.json`. Defaults are the original simulator's, used for a field
// a line leaves out.
#pragma once

#include <vector>

#include "base/ids.h"

namespace botify::world {

// Plain value type.
struct User {
  UserId user = 0;
  // Tracks whose embeddings define the user's tastes; a session picks one uniformly. At
  // least one (botify's generator writes three; the 2026 course's users have 1 to 6).
  std::vector<TrackId> interests;
  // Listen time = sigmoid((dot - consume_bias) * consume_sharpness); generated in [0, 10).
  double consume_bias = 5.0;
  // Generated in [0.5, 2).
  double consume_sharpness = 1.0;
  // The first track of a session is uniform among this many nearest tracks of the interest.
  int interest_neighbours = 10;
  // Number of "disappointments" (a uniform draw above the listen time) before leaving.
  int session_budget = 5;
  // Listen time is multiplied by gamma^k, k = plays of the track's artist in the session.
  double artist_discount_gamma = 0.8;
};

}  // namespace botify::world
