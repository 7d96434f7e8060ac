// A tiny hand-made world for simulator tests: every number in it can be checked by hand.
// Header-only so that each test binary that needs it compiles it in (no change to
// botify_catch_main).
#pragma once

#include "engine/world/world.h"

namespace botify::testing {

// Four tracks in 2-D: 0=(1,0) and 1=(2,0) by artist "A", 2=(0,1) by "B", 3=(3,0) by "C".
// One user 7 with interests {0, 0, 0}, consume_bias 1, consume_sharpness 1,
// interest_neighbours 1 (so the first track is always 3, the best match of (1,0)).
inline world::World TinyWorld() {
  auto catalog = catalog::Catalog::FromRecords(
      {{0, "A", "a0"}, {1, "A", "a1"}, {2, "B", "b2"}, {3, "C", "c3"}});
  world::World w{std::move(*catalog), FloatMatrix{4, 2, {1, 0, 2, 0, 0, 1, 3, 0}}, {}};
  world::User u;
  u.user = 7;
  u.interests = {0, 0, 0};
  u.consume_bias = 1.0;
  u.consume_sharpness = 1.0;
  u.interest_neighbours = 1;
  w.users.push_back(u);
  return w;
}

}  // namespace botify::testing
