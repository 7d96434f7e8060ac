// `users.json` (docs/contracts.md §8, the original simulator's format): JSON lines
//   {"user": u, "interests": [t1, ...], "consume_bias": b, "consume_sharpness": s}
// with one or more interests, and optional "interest_neighbours" (default 10),
// "session_budget" (5) and "artist_discount_gamma" (0.8). "consume_bias" (5.0) and
// "consume_sharpness" (1.0) may be left out too, as the original simulator allows. Fields
// not listed here (the 2026 course's "openness", say) are ignored: neither simulator
// models them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/world/user.h"

namespace botify::world {

// True for the fields above (the ones the simulator reads).
bool IsUserField(std::string_view name);

// Parses one line. `track_count` bounds the interest ids (ids must be < track_count).
// When `fields` is given it receives the names of every field on the line, known or not.
Result<User> ParseUserLine(std::string_view line, std::size_t track_count,
                           std::vector<std::string>* fields = nullptr);

// Appends one line (with '\n'); optional fields are written only when not the default
// (consume_bias and consume_sharpness always are).
void AppendUserLine(std::string* out, const User& user);

// Loads a whole file (plain or .gz); errors carry "path:line". Blank lines are skipped;
// a user id that appears twice is an error.
Result<std::vector<User>> LoadUsers(const std::string& path, std::size_t track_count);

// Writes all users to `path`, replacing it.
Status WriteUsers(const std::string& path, const std::vector<User>& users);

}  // namespace botify::world
