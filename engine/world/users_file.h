// `users.json` (docs/contracts.md §8, exactly the original simulator's format): JSON lines
//   {"user": u, "interests": [t1, t2, t3], "consume_bias": b, "consume_sharpness": s}
// with optional "interest_neighbours" (default 10), "session_budget" (5) and
// "artist_discount_gamma" (0.8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/world/user.h"

namespace botify::world {

// Parses one line. `track_count` bounds the interest ids (ids must be < track_count).
Result<User> ParseUserLine(std::string_view line, std::size_t track_count);

// Appends one line (with '\n'); optional fields are written only when not the default.
void AppendUserLine(std::string* out, const User& user);

// Loads a whole file (plain or .gz); errors carry "path:line". Blank lines are skipped;
// a user id that appears twice is an error.
Result<std::vector<User>> LoadUsers(const std::string& path, std::size_t track_count);

// Writes all users to `path`, replacing it.
Status WriteUsers(const std::string& path, const std::vector<User>& users);

}  // namespace botify::world
